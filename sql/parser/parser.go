package parser

import (
	"maps"
	"strconv"
	"strings"
)

// Parse splits a script into statements and parses each, substituting ${name} references
// from vars. DEFINE and UNDEFINE statements change the variables seen by the statements
// after them (vars itself is not modified). It stops at the first error.
func Parse(script string, vars map[string]string) ([]Statement, error) {
	raws, err := Split(script)
	if err != nil {
		return nil, err
	}
	vars = maps.Clone(vars)
	if vars == nil {
		vars = map[string]string{}
	}
	out := make([]Statement, 0, len(raws))
	for _, r := range raws {
		st, err := ParseStatement(r, vars)
		if err != nil {
			return nil, err
		}
		switch d := st.(type) {
		case *Define:
			vars[d.Name] = d.Value
		case *Undefine:
			for k := range vars {
				if strings.EqualFold(k, d.Name) {
					delete(vars, k)
				}
			}
		}
		out = append(out, st)
	}
	return out, nil
}

// ParseStatement parses one statement produced by Split, substituting ${name} references
// from vars.
func ParseStatement(raw RawStatement, vars map[string]string) (Statement, error) {
	toks, err := Substitute(raw.Tokens, vars)
	if err != nil {
		return nil, err
	}
	if len(toks) == 0 || toks[len(toks)-1].Kind != TokEOF {
		return nil, errorf(raw.Pos, "malformed statement: tokens must end with EOF")
	}
	p := &parser{toks: toks, text0: raw.Text, base: raw.Pos.Offset, line0: raw.Pos.Line}
	st, err := p.statement()
	if err != nil {
		return nil, err
	}
	if t := p.tok(); t.Kind != TokEOF {
		return nil, p.unexpected("end of statement")
	}
	return st, nil
}

// reserved words cannot be unquoted identifiers (a subset of ksqlDB's reserved words).
var reserved = map[string]bool{
	"SELECT": true, "FROM": true, "WHERE": true, "AS": true, "WITH": true, "AND": true,
	"OR": true, "NOT": true, "NULL": true, "TRUE": true, "FALSE": true, "CREATE": true,
	"INSERT": true, "INTO": true, "VALUES": true, "GROUP": true, "BY": true, "HAVING": true,
	"EMIT": true, "WINDOW": true, "JOIN": true, "ON": true, "CASE": true, "WHEN": true,
	"THEN": true, "ELSE": true, "END": true, "CAST": true, "IN": true, "IS": true,
	"LIKE": true, "BETWEEN": true, "LIMIT": true, "DROP": true, "TABLE": true, "STREAM": true,
}

// maxDepth bounds the nesting of types and expressions.
const maxDepth = 200

type parser struct {
	toks  []Token
	i     int
	depth int    // current nesting of parseType / parseExpr
	text0 string // statement text
	base  int    // script offset of text0
	line0 int    // script line of text0's first line
}

func (p *parser) tok() Token { return p.peek(0) }

// nest counts one level of nesting; call the returned function when leaving it.
func (p *parser) nest() (func(), error) {
	if p.depth >= maxDepth {
		return nil, errorf(p.tok().Pos, "nested more than %d levels deep", maxDepth)
	}
	p.depth++
	return func() { p.depth-- }, nil
}

func (p *parser) peek(k int) Token {
	if p.i+k < len(p.toks) {
		return p.toks[p.i+k]
	}
	return p.toks[len(p.toks)-1]
}

// text returns the original text between two script offsets.
func (p *parser) text(from, to int) string {
	from, to = from-p.base, to-p.base
	if from < 0 || to > len(p.text0) || from > to {
		return ""
	}
	return p.text0[from:to]
}

// unexpected reports the current token in ksqlDB's words ("Syntax error at or near 'X'
// at line L:C"), followed by what the grammar expected there.
func (p *parser) unexpected(want string) error {
	return nearf(p.tok(), "expecting %s", want)
}

// syntaxError returns an error at the current token worded as ksqlDB words an ANTLR
// syntax error: "Syntax Error\n<detail>", where detail is ANTLR's (e.g. "Expecting
// {',', ')'}"), quoting the statement's line that holds the error.
func (p *parser) syntaxError(detail string) error {
	e := errorf(p.tok().Pos, "Syntax Error\n%s", detail)
	lines := strings.Split(p.text0, "\n")
	if i := e.Pos.Line - p.line0; p.text0 != "" && i >= 0 && i < len(lines) {
		e.Statement = strings.TrimSuffix(lines[i], "\r")
		if i == len(lines)-1 && p.toks[len(p.toks)-1].Raw == ";" {
			e.Statement += ";"
		}
	}
	return e
}

func (p *parser) accept(kw string) bool {
	if p.tok().Is(kw) {
		p.i++
		return true
	}
	return false
}

func (p *parser) expect(kw string) error {
	if !p.accept(kw) {
		return p.unexpected(kw)
	}
	return nil
}

func (p *parser) acceptOp(op string) bool {
	if p.tok().IsOp(op) {
		p.i++
		return true
	}
	return false
}

func (p *parser) expectOp(op string) error {
	if !p.acceptOp(op) {
		return p.unexpected("'" + op + "'")
	}
	return nil
}

// ident accepts an identifier: unquoted (not reserved, upper-cased) or quoted.
func (p *parser) ident() (Ident, error) {
	t := p.tok()
	switch {
	case t.Kind == TokIdent && !reserved[t.Value]:
		p.i++
		return Ident{Name: t.Value, Pos: t.Pos}, nil
	case t.Kind == TokQuotedIdent:
		p.i++
		return Ident{Name: t.Value, Quoted: true, Pos: t.Pos}, nil
	}
	return Ident{}, p.unexpected("an identifier")
}

func (p *parser) stringLit() (string, error) {
	t := p.tok()
	if t.Kind != TokString {
		return "", p.unexpected("a string literal")
	}
	p.i++
	return t.Value, nil
}

func (p *parser) intLit() (int64, error) {
	t := p.tok()
	if t.Kind != TokNumber {
		return 0, p.unexpected("an integer")
	}
	n, err := strconv.ParseInt(t.Value, 10, 64)
	if err != nil {
		return 0, errorf(t.Pos, "invalid integer %s", t.describe())
	}
	p.i++
	return n, nil
}

// selectSpan takes the rest of the statement, which must start with SELECT.
func (p *parser) selectSpan() (string, Pos, []Token, error) {
	t := p.tok()
	if !t.Is("SELECT") {
		return "", Pos{}, nil, p.unexpected("SELECT")
	}
	toks := p.toks[p.i:]
	p.i = len(p.toks) - 1
	end := toks[len(toks)-2].End
	return p.text(t.Pos.Offset, end), t.Pos, toks, nil
}

// query parses the rest of the statement as a SELECT.
func (p *parser) query() (text string, pos Pos, toks []Token, sel *Select, err error) {
	if text, pos, toks, err = p.selectSpan(); err != nil {
		return
	}
	sel, err = parseSelect(toks)
	return
}

func (p *parser) statement() (Statement, error) {
	t := p.tok()
	if t.Kind != TokIdent {
		return nil, errorf(t.Pos, "Syntax Error\nUnknown statement %s", t.describe())
	}
	switch t.Value {
	case "CREATE":
		return p.create()
	case "INSERT":
		return p.insert()
	case "SELECT":
		text, pos, toks, sel, err := p.query()
		return &Query{Pos: pos, SelectText: text, SelectPos: pos, SelectTokens: toks, Select: sel}, err
	case "DROP":
		return p.drop()
	case "ALTER":
		return p.alter()
	case "SHOW", "LIST":
		return p.show()
	case "DESCRIBE":
		return p.describe()
	case "EXPLAIN":
		p.i++
		n := p.tok()
		if n.Is("SELECT") || n.Is("CREATE") || n.Is("INSERT") {
			st, err := p.statement()
			return &Explain{Pos: t.Pos, Statement: st}, err
		}
		id, err := p.ident()
		return &Explain{Pos: t.Pos, QueryID: id.Name}, err
	case "TERMINATE":
		p.i++
		if p.accept("ALL") {
			return &Terminate{Pos: t.Pos, All: true}, nil
		}
		id, err := p.ident()
		return &Terminate{Pos: t.Pos, QueryID: id.Name}, err
	case "SET":
		p.i++
		name, err := p.stringLit()
		if err != nil {
			return nil, err
		}
		if err := p.expectOp("="); err != nil {
			return nil, err
		}
		v, err := p.stringLit()
		return &SetProperty{Pos: t.Pos, Name: name, Value: v}, err
	case "UNSET":
		p.i++
		name, err := p.stringLit()
		return &UnsetProperty{Pos: t.Pos, Name: name}, err
	case "DEFINE":
		p.i++
		name, err := p.ident()
		if err != nil {
			return nil, err
		}
		if err := p.expectOp("="); err != nil {
			return nil, err
		}
		v, err := p.stringLit()
		return &Define{Pos: t.Pos, Name: name.Name, Value: v}, err
	case "UNDEFINE":
		p.i++
		name, err := p.ident()
		return &Undefine{Pos: t.Pos, Name: name.Name}, err
	case "PRINT":
		return p.print()
	case "ASSERT":
		return p.assert()
	}
	return nil, errorf(t.Pos, "Syntax Error\nUnknown statement %s", t.describe())
}

func (p *parser) sourceKind() (SourceKind, error) {
	switch {
	case p.accept("STREAM"):
		return KindStream, nil
	case p.accept("TABLE"):
		return KindTable, nil
	}
	return 0, p.unexpected("STREAM or TABLE")
}

func (p *parser) create() (Statement, error) {
	pos := p.tok().Pos
	p.i++
	orReplace := false
	if p.accept("OR") {
		if err := p.expect("REPLACE"); err != nil {
			return nil, err
		}
		orReplace = true
	}
	if p.tok().Is("TYPE") && !orReplace {
		p.i++
		ct := &CreateType{Pos: pos}
		if p.tok().Is("IF") {
			if err := p.ifNotExists(); err != nil {
				return nil, err
			}
			ct.IfNotExists = true
		}
		var err error
		if ct.Name, err = p.ident(); err != nil {
			return nil, err
		}
		if err := p.expect("AS"); err != nil {
			return nil, err
		}
		ct.Type, err = p.parseType()
		return ct, err
	}
	source := p.accept("SOURCE")
	kind, err := p.sourceKind()
	if err != nil {
		return nil, err
	}
	ifNotExists := false
	if p.tok().Is("IF") {
		if err := p.ifNotExists(); err != nil {
			return nil, err
		}
		ifNotExists = true
	}
	name, err := p.ident()
	if err != nil {
		return nil, err
	}
	var cols []ColumnDef
	hasCols := false
	if p.tok().IsOp("(") {
		hasCols = true
		if cols, err = p.columns(); err != nil {
			return nil, err
		}
	}
	var props []Property
	if p.tok().Is("WITH") {
		if props, err = p.with(); err != nil {
			return nil, err
		}
	}
	if !hasCols && !source && p.accept("AS") {
		text, spos, toks, sel, err := p.query()
		return &CreateAsSelect{Pos: pos, Kind: kind, OrReplace: orReplace, IfNotExists: ifNotExists,
			Name: name, Props: props, SelectText: text, SelectPos: spos, SelectTokens: toks, Select: sel}, err
	}
	return &CreateSource{Pos: pos, Kind: kind, OrReplace: orReplace, Source: source,
		IfNotExists: ifNotExists, Name: name, Columns: cols, Props: props}, nil
}

func (p *parser) ifNotExists() error {
	for _, kw := range []string{"IF", "NOT", "EXISTS"} {
		if err := p.expect(kw); err != nil {
			return err
		}
	}
	return nil
}

// columns parses (col TYPE [KEY|PRIMARY KEY|HEADERS|HEADER('k')], ...).
func (p *parser) columns() ([]ColumnDef, error) {
	if err := p.expectOp("("); err != nil {
		return nil, err
	}
	var cols []ColumnDef
	for {
		name, err := p.ident()
		if err != nil {
			return nil, err
		}
		typ, err := p.parseType()
		if err != nil {
			return nil, err
		}
		c := ColumnDef{Name: name, Type: typ}
		switch {
		case p.accept("KEY"):
			c.Constraint = ColKey
		case p.accept("PRIMARY"):
			if err := p.expect("KEY"); err != nil {
				return nil, err
			}
			c.Constraint = ColPrimaryKey
		case p.accept("HEADERS"):
			c.Constraint = ColHeaders
		case p.accept("HEADER"):
			if err := p.expectOp("("); err != nil {
				return nil, err
			}
			if c.HeaderKey, err = p.stringLit(); err != nil {
				return nil, err
			}
			if err := p.expectOp(")"); err != nil {
				return nil, err
			}
			c.Constraint = ColHeader
		}
		cols = append(cols, c)
		if p.acceptOp(",") {
			continue
		}
		if !p.acceptOp(")") {
			return nil, p.syntaxError("Expecting {',', ')'}")
		}
		return cols, nil
	}
}

// with parses WITH (name = value, ...).
func (p *parser) with() ([]Property, error) {
	if err := p.expect("WITH"); err != nil {
		return nil, err
	}
	if err := p.expectOp("("); err != nil {
		return nil, err
	}
	var props []Property
	for {
		name, err := p.ident()
		if err != nil {
			return nil, err
		}
		if err := p.expectOp("="); err != nil {
			return nil, err
		}
		v, err := p.propValue()
		if err != nil {
			return nil, err
		}
		props = append(props, Property{Name: name, Value: v})
		if p.acceptOp(",") {
			continue
		}
		return props, p.expectOp(")")
	}
}

func (p *parser) propValue() (*Literal, error) {
	t := p.tok()
	switch {
	case t.Kind == TokString:
		p.i++
		return &Literal{Kind: LitString, Text: t.Value, Pos: t.Pos}, nil
	case t.Kind == TokNumber:
		p.i++
		return numberLit(t.Value, t.Pos), nil
	case t.IsOp("-") && p.peek(1).Kind == TokNumber:
		p.i += 2
		return numberLit("-"+p.toks[p.i-1].Value, t.Pos), nil
	case t.Is("TRUE") || t.Is("FALSE"):
		p.i++
		return &Literal{Kind: LitBool, Text: t.Value, Pos: t.Pos}, nil
	case t.Kind == TokIdent && !reserved[t.Value], t.Kind == TokQuotedIdent:
		p.i++
		return &Literal{Kind: LitIdent, Text: t.Raw, Pos: t.Pos}, nil
	}
	return nil, p.unexpected("a property value")
}

func (p *parser) insert() (Statement, error) {
	pos := p.tok().Pos
	p.i++
	if err := p.expect("INTO"); err != nil {
		return nil, err
	}
	target, err := p.ident()
	if err != nil {
		return nil, err
	}
	switch {
	case p.tok().IsOp("(") || p.tok().Is("VALUES"):
		iv := &InsertValues{Pos: pos, Target: target}
		if p.acceptOp("(") {
			iv.Columns = []Ident{}
			for {
				c, err := p.ident()
				if err != nil {
					return nil, err
				}
				iv.Columns = append(iv.Columns, c)
				if !p.acceptOp(",") {
					break
				}
			}
			if err := p.expectOp(")"); err != nil {
				return nil, err
			}
		}
		if err := p.expect("VALUES"); err != nil {
			return nil, err
		}
		if err := p.expectOp("("); err != nil {
			return nil, err
		}
		if !p.tok().IsOp(")") {
			for {
				e, err := p.parseExpr(",", ")")
				if err != nil {
					return nil, err
				}
				iv.Values = append(iv.Values, e)
				if !p.acceptOp(",") {
					break
				}
			}
		}
		return iv, p.expectOp(")")
	}
	is := &InsertSelect{Pos: pos, Target: target}
	if p.tok().Is("WITH") {
		if is.Props, err = p.with(); err != nil {
			return nil, err
		}
	}
	is.SelectText, is.SelectPos, is.SelectTokens, is.Select, err = p.query()
	return is, err
}

func (p *parser) drop() (Statement, error) {
	d := &Drop{Pos: p.tok().Pos}
	p.i++
	switch {
	case p.accept("STREAM"):
		d.Kind = DropStream
	case p.accept("TABLE"):
		d.Kind = DropTable
	case p.accept("TYPE"):
		d.Kind = DropType
	default:
		return nil, p.unexpected("STREAM, TABLE or TYPE")
	}
	if p.accept("IF") {
		if err := p.expect("EXISTS"); err != nil {
			return nil, err
		}
		d.IfExists = true
	}
	var err error
	if d.Name, err = p.ident(); err != nil {
		return nil, err
	}
	if d.Kind != DropType && p.accept("DELETE") {
		if err := p.expect("TOPIC"); err != nil {
			return nil, err
		}
		d.DeleteTopic = true
	}
	return d, nil
}

func (p *parser) alter() (Statement, error) {
	a := &AlterSource{Pos: p.tok().Pos}
	p.i++
	var err error
	if a.Kind, err = p.sourceKind(); err != nil {
		return nil, err
	}
	if a.Name, err = p.ident(); err != nil {
		return nil, err
	}
	for {
		if err := p.expect("ADD"); err != nil {
			return nil, err
		}
		p.accept("COLUMN")
		name, err := p.ident()
		if err != nil {
			return nil, err
		}
		typ, err := p.parseType()
		if err != nil {
			return nil, err
		}
		a.Columns = append(a.Columns, ColumnDef{Name: name, Type: typ})
		if !p.acceptOp(",") {
			return a, nil
		}
	}
}

var showKinds = map[string]ShowKind{
	"STREAMS": ShowStreams, "TABLES": ShowTables, "TOPICS": ShowTopics, "QUERIES": ShowQueries,
	"PROPERTIES": ShowProperties, "FUNCTIONS": ShowFunctions, "TYPES": ShowTypes,
	"VARIABLES": ShowVariables, "CONNECTORS": ShowConnectors,
}

func (p *parser) show() (Statement, error) {
	s := &Show{Pos: p.tok().Pos}
	p.i++
	if p.tok().Is("ALL") && p.peek(1).Is("TOPICS") {
		p.i++
		s.All = true
	}
	if (p.tok().Is("SINK") || p.tok().Is("SOURCE")) && p.peek(1).Is("CONNECTORS") {
		p.i++
	}
	k, ok := showKinds[p.tok().Value]
	if p.tok().Kind != TokIdent || !ok {
		return nil, p.unexpected("STREAMS, TABLES, TOPICS, QUERIES, PROPERTIES, FUNCTIONS, TYPES, VARIABLES or CONNECTORS")
	}
	p.i++
	s.Kind = k
	switch k {
	case ShowStreams, ShowTables, ShowTopics, ShowQueries:
		s.Extended = p.accept("EXTENDED")
	}
	return s, nil
}

func (p *parser) describe() (Statement, error) {
	pos := p.tok().Pos
	p.i++
	ext := false
	if p.tok().Is("EXTENDED") && p.peek(1).Kind != TokEOF {
		p.i++
		ext = true
	}
	switch t := p.tok(); {
	case t.Is("STREAMS") || t.Is("TABLES"):
		p.i++
		d := &DescribeAll{Pos: pos, Kind: KindStream, Extended: ext}
		if t.Value == "TABLES" {
			d.Kind = KindTable
		}
		d.Extended = p.accept("EXTENDED") || ext
		return d, nil
	case t.Is("FUNCTION") && !ext && p.peek(1).Kind != TokEOF:
		p.i++
		name, err := p.ident()
		return &DescribeFunction{Pos: pos, Name: name}, err
	}
	name, err := p.ident()
	if err != nil {
		return nil, err
	}
	return &Describe{Pos: pos, Name: name, Extended: p.accept("EXTENDED") || ext}, nil
}

func (p *parser) print() (Statement, error) {
	pr := &Print{Pos: p.tok().Pos}
	p.i++
	switch t := p.tok(); t.Kind {
	case TokString, TokQuotedIdent:
		pr.Topic = t.Value
	case TokIdent:
		pr.Topic = t.Raw
	default:
		return nil, p.unexpected("a topic name")
	}
	p.i++
	if p.accept("FROM") {
		if err := p.expect("BEGINNING"); err != nil {
			return nil, err
		}
		pr.FromBeginning = true
	}
	var err error
	if p.accept("INTERVAL") || p.accept("SAMPLE") {
		if pr.Interval, err = p.intLit(); err != nil {
			return nil, err
		}
	}
	if p.accept("LIMIT") {
		if pr.Limit, err = p.intLit(); err != nil {
			return nil, err
		}
	}
	return pr, nil
}

func (p *parser) assert() (Statement, error) {
	a := &Assert{Pos: p.tok().Pos}
	p.i++
	if p.accept("NOT") {
		if err := p.expect("EXISTS"); err != nil {
			return nil, err
		}
		a.NotExists = true
	}
	var err error
	switch {
	case p.accept("TOPIC"):
		a.Kind = AssertTopic
		if a.Name, err = p.name(); err != nil {
			return nil, err
		}
		if p.tok().Is("WITH") {
			if a.Props, err = p.with(); err != nil {
				return nil, err
			}
		}
	case p.accept("SCHEMA"):
		a.Kind = AssertSchema
		if p.accept("SUBJECT") {
			if a.Name, err = p.name(); err != nil {
				return nil, err
			}
		}
		hasID := p.accept("ID")
		if hasID {
			if a.ID, err = p.intLit(); err != nil {
				return nil, err
			}
		}
		if a.Name == "" && !hasID {
			return nil, p.unexpected("SUBJECT or ID")
		}
	default:
		return nil, p.unexpected("TOPIC or SCHEMA")
	}
	if t := p.tok(); t.Is("TIMEOUT") {
		p.i++
		n, err := p.intLit()
		if err != nil {
			return nil, err
		}
		u := p.tok()
		if u.Kind != TokIdent {
			return nil, p.unexpected("a time unit")
		}
		p.i++
		a.Timeout = strconv.FormatInt(n, 10) + " " + u.Value
	}
	return a, nil
}

// name accepts a topic or subject name: a string, a quoted identifier or an identifier
// (kept as written).
func (p *parser) name() (string, error) {
	switch t := p.tok(); t.Kind {
	case TokString, TokQuotedIdent:
		p.i++
		return t.Value, nil
	case TokIdent:
		p.i++
		return t.Raw, nil
	}
	return "", p.unexpected("a name")
}
