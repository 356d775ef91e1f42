package parser

// Expr is a value expression. In a SELECT (see select_ast.go) every form is a node. In
// INSERT ... VALUES (and a WITH property value) literal forms get their own nodes and any
// other expression (column references, arithmetic, CASE, typed literals such as
// DATE '...', ...) is kept as a *RawExpr span. The set of implementations is closed.
type Expr interface {
	// Position returns the position of the expression's first token.
	Position() Pos
	expr()
}

// LitKind is the kind of a Literal.
type LitKind int

// Literal kinds.
const (
	LitNull    LitKind = iota
	LitBool            // TRUE / FALSE; Text upper case
	LitInteger         // 12, -3
	LitDecimal         // 1.50, .5, -2.0 (text kept exactly: the scale matters)
	LitDouble          // 1e3, -1.5E-2
	LitString          // 'text', Text unescaped
	LitIdent           // a bare identifier, only as a WITH property value; Text as written
)

var litNames = [...]string{"NULL", "BOOLEAN", "INTEGER", "DECIMAL", "DOUBLE", "STRING", "IDENTIFIER"}

// String returns the kind's name.
func (k LitKind) String() string { return litNames[k] }

// Literal is a constant. Text is the literal's text, with a leading '-' for negative
// numbers; for strings it is the unescaped value.
type Literal struct {
	Kind LitKind
	Text string
	Pos  Pos
}

// ArrayExpr is ARRAY[e, ...].
type ArrayExpr struct {
	Pos   Pos
	Elems []Expr
}

// MapEntry is one k := v of a MAP constructor.
type MapEntry struct {
	Key, Value Expr
}

// MapExpr is MAP(k := v, ...).
type MapExpr struct {
	Pos     Pos
	Entries []MapEntry
}

// StructValue is one name := v of a STRUCT constructor.
type StructValue struct {
	Name  Ident
	Value Expr
}

// StructExpr is STRUCT(name := v, ...).
type StructExpr struct {
	Pos    Pos
	Fields []StructValue
}

// Call is a function call f(args) or f(*) (Star true).
type Call struct {
	Pos      Pos
	Name     Ident
	Args     []Expr
	Star     bool
	Distinct bool // f(DISTINCT args)
}

// Cast is CAST(e AS type).
type Cast struct {
	Pos  Pos
	Expr Expr
	Type *Type
}

// RawExpr is an expression this package does not parse: the original text and the tokens
// (variables substituted, no TokEOF).
type RawExpr struct {
	Pos    Pos
	Text   string
	Tokens []Token
}

func (e *Literal) Position() Pos    { return e.Pos }
func (e *ArrayExpr) Position() Pos  { return e.Pos }
func (e *MapExpr) Position() Pos    { return e.Pos }
func (e *StructExpr) Position() Pos { return e.Pos }
func (e *Call) Position() Pos       { return e.Pos }
func (e *Cast) Position() Pos       { return e.Pos }
func (e *RawExpr) Position() Pos    { return e.Pos }

func (*Literal) expr()    {}
func (*ArrayExpr) expr()  {}
func (*MapExpr) expr()    {}
func (*StructExpr) expr() {}
func (*Call) expr()       {}
func (*Cast) expr()       {}
func (*RawExpr) expr()    {}

// parseExpr parses one expression that ends before one of the operators in stops (at depth
// 0). Literal forms become nodes; anything else a RawExpr.
func (p *parser) parseExpr(stops ...string) (Expr, error) {
	leave, err := p.nest()
	if err != nil {
		return nil, err
	}
	defer leave()
	start := p.i
	e, err := p.simpleExpr(stops)
	if err != nil {
		return nil, err
	}
	if e != nil && p.atStop(stops) {
		return e, nil
	}
	p.i = start
	return p.rawExpr(stops)
}

func (p *parser) atStop(stops []string) bool {
	t := p.tok()
	if t.Kind == TokEOF {
		return true
	}
	for _, s := range stops {
		if t.IsOp(s) || t.Is(s) {
			return true
		}
	}
	return false
}

// rawExpr takes the tokens up to a stop operator at depth 0.
func (p *parser) rawExpr(stops []string) (Expr, error) {
	start := p.i
	var depth []string
	for {
		t := p.tok()
		if t.Kind == TokEOF {
			if len(depth) > 0 {
				return nil, p.unexpected("'" + depth[len(depth)-1] + "'")
			}
			break
		}
		if len(depth) == 0 && p.atStop(stops) {
			break
		}
		switch {
		case t.IsOp("("):
			depth = append(depth, ")")
		case t.IsOp("["):
			depth = append(depth, "]")
		case t.IsOp(")") || t.IsOp("]"):
			if len(depth) == 0 || depth[len(depth)-1] != t.Value {
				return nil, p.unexpected("an expression")
			}
			depth = depth[:len(depth)-1]
		}
		p.i++
	}
	if p.i == start {
		return nil, p.unexpected("an expression")
	}
	toks := p.toks[start:p.i]
	return &RawExpr{Pos: toks[0].Pos, Text: p.text(toks[0].Pos.Offset, toks[len(toks)-1].End), Tokens: toks}, nil
}

// simpleExpr parses a literal form, or returns nil (and no error) when the expression is not
// one.
func (p *parser) simpleExpr(stops []string) (Expr, error) {
	t := p.tok()
	switch t.Kind {
	case TokString:
		p.i++
		return &Literal{Kind: LitString, Text: t.Value, Pos: t.Pos}, nil
	case TokNumber:
		p.i++
		return numberLit(t.Value, t.Pos), nil
	case TokOp:
		if (t.Value == "-" || t.Value == "+") && p.peek(1).Kind == TokNumber {
			n := p.peek(1)
			p.i += 2
			text := n.Value
			if t.Value == "-" {
				text = "-" + text
			}
			return numberLit(text, t.Pos), nil
		}
		return nil, nil
	case TokIdent:
	default:
		return nil, nil
	}
	switch t.Value {
	case "NULL":
		p.i++
		return &Literal{Kind: LitNull, Text: "NULL", Pos: t.Pos}, nil
	case "TRUE", "FALSE":
		p.i++
		return &Literal{Kind: LitBool, Text: t.Value, Pos: t.Pos}, nil
	case "ARRAY":
		if !p.peek(1).IsOp("[") {
			return nil, nil
		}
		p.i += 2
		a := &ArrayExpr{Pos: t.Pos}
		if p.tok().IsOp("]") {
			p.i++
			return a, nil
		}
		for {
			e, err := p.parseExpr(",", "]")
			if err != nil {
				return nil, err
			}
			a.Elems = append(a.Elems, e)
			if p.acceptOp(",") {
				continue
			}
			return a, p.expectOp("]")
		}
	case "MAP", "STRUCT":
		if !p.peek(1).IsOp("(") {
			return nil, nil
		}
		p.i += 2
		m := &MapExpr{Pos: t.Pos}
		s := &StructExpr{Pos: t.Pos}
		if !p.tok().IsOp(")") {
			for {
				if t.Value == "MAP" {
					k, err := p.parseExpr(":=", ",", ")")
					if err != nil {
						return nil, err
					}
					if err := p.expectOp(":="); err != nil {
						return nil, err
					}
					v, err := p.parseExpr(",", ")")
					if err != nil {
						return nil, err
					}
					m.Entries = append(m.Entries, MapEntry{Key: k, Value: v})
				} else {
					name, err := p.ident()
					if err != nil {
						return nil, err
					}
					if err := p.expectOp(":="); err != nil {
						return nil, err
					}
					v, err := p.parseExpr(",", ")")
					if err != nil {
						return nil, err
					}
					s.Fields = append(s.Fields, StructValue{Name: name, Value: v})
				}
				if !p.acceptOp(",") {
					break
				}
			}
		}
		if err := p.expectOp(")"); err != nil {
			return nil, err
		}
		if t.Value == "MAP" {
			return m, nil
		}
		return s, nil
	case "CAST":
		if !p.peek(1).IsOp("(") {
			return nil, nil
		}
		p.i += 2
		e, err := p.parseExpr("AS")
		if err != nil {
			return nil, err
		}
		if err := p.expect("AS"); err != nil {
			return nil, err
		}
		typ, err := p.parseType()
		if err != nil {
			return nil, err
		}
		return &Cast{Pos: t.Pos, Expr: e, Type: typ}, p.expectOp(")")
	}
	if !p.peek(1).IsOp("(") || reserved[t.Value] {
		return nil, nil
	}
	p.i += 2
	c := &Call{Pos: t.Pos, Name: Ident{Name: t.Value, Pos: t.Pos}}
	if p.tok().IsOp("*") && p.peek(1).IsOp(")") {
		p.i += 2
		c.Star = true
		return c, nil
	}
	if p.acceptOp(")") {
		return c, nil
	}
	for {
		e, err := p.parseExpr(",", ")")
		if err != nil {
			return nil, err
		}
		c.Args = append(c.Args, e)
		if !p.acceptOp(",") {
			return c, p.expectOp(")")
		}
	}
}

func numberLit(text string, pos Pos) *Literal {
	k := LitInteger
	for _, c := range text {
		switch c {
		case 'e', 'E':
			return &Literal{Kind: LitDouble, Text: text, Pos: pos}
		case '.':
			k = LitDecimal
		}
	}
	return &Literal{Kind: k, Text: text, Pos: pos}
}
