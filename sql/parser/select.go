package parser

import (
	"regexp"
	"strconv"
	"sync"

	tidb "github.com/pingcap/tidb/pkg/parser"
	"github.com/pingcap/tidb/pkg/parser/ast"
	"github.com/pingcap/tidb/pkg/parser/mysql"
	"github.com/pingcap/tidb/pkg/parser/opcode"
	"github.com/pingcap/tidb/pkg/parser/test_driver" // literal values (ValueExpr) for TiDB's parser
)

// tidbParsers holds TiDB parsers, which are not safe for concurrent use.
var tidbParsers = sync.Pool{New: func() any {
	p := tidb.New()
	// ANSI_QUOTES: "x" is an identifier; NO_BACKSLASH_ESCAPES: KSQL strings only know ''.
	// Never PIPES_AS_CONCAT: || is rewritten to | (see rewrite.go).
	p.SetSQLMode(mysql.ModeANSIQuotes | mysql.ModeNoBackslashEscapes)
	return p
}}

// parseSelect parses the tokens of a query (starting at SELECT, ending with TokEOF).
func parseSelect(toks []Token) (*Select, error) {
	if len(toks) < 2 || !toks[0].Is("SELECT") {
		return nil, nearf(toks[0], "expecting SELECT")
	}
	r := newRewrite(toks)
	if err := r.brackets(); err != nil {
		return nil, err
	}
	if err := r.clauses(); err != nil {
		return nil, err
	}
	if err := r.exprs(); err != nil {
		return nil, err
	}
	r.emitText()
	stmt, err := r.runTiDB()
	if err != nil {
		return nil, err
	}
	c := &converter{r: r}
	return c.selectStmt(stmt)
}

var nearRE = regexp.MustCompile(`(?s)near "(.*)"(?:\s*\(total length (\d+)\))?\s*$`)

// runTiDB parses r.out with TiDB. TiDB's panics are turned into positioned errors: the
// parser is not on the record path, TiDB's generated parser is outside our control, and a
// panic there must not take a server down (see the brief of the SELECT layer).
func (r *rewrite) runTiDB() (stmt *ast.SelectStmt, err error) {
	p := tidbParsers.Get().(*tidb.Parser)
	defer func() {
		if v := recover(); v != nil {
			// Do not return p to the pool: its state is unknown.
			stmt, err = nil, r.errAt(0, "internal error parsing the query: %v", v)
			return
		}
		tidbParsers.Put(p)
	}()
	nodes, _, perr := p.Parse(r.out, "", "")
	if perr != nil {
		off := len(r.out)
		if m := nearRE.FindStringSubmatch(perr.Error()); m != nil {
			off = len(r.out) - len(m[1])
			if m[2] != "" {
				if n, err := strconv.Atoi(m[2]); err == nil {
					off = len(r.out) - n
				}
			}
		}
		if off < 0 || off > len(r.out) {
			off = len(r.out)
		}
		i := r.tokAt(off)
		return nil, r.unexpected(i)
	}
	if len(nodes) != 1 {
		return nil, r.unexpected(len(r.toks))
	}
	s, ok := nodes[0].(*ast.SelectStmt)
	if !ok {
		return nil, r.errAt(0, "syntax error: not a KSQL query")
	}
	return s, nil
}

type converter struct {
	r     *rewrite
	joins int // joins converted so far
	srcs  int // sources converted so far
	// item is the select item being converted: the only place x->* may stand.
	item ast.ExprNode
}

func (c *converter) tokIdx(n ast.ExprNode) int { return c.r.tokAt(n.OriginTextPosition()) }

func (c *converter) pos(n ast.ExprNode) Pos { return c.r.tok(c.tokIdx(n)).Pos }

// unsupported reports a construct TiDB accepted but KSQL does not have.
func (c *converter) unsupported(n ast.ExprNode) error {
	i := c.tokIdx(n)
	return nearf(c.r.tok(i), "not supported in KSQL")
}

func (c *converter) selectStmt(s *ast.SelectStmt) (*Select, error) {
	r := c.r
	if s.Distinct || s.WindowSpecs != nil || s.TableHints != nil || s.IsInBraces || s.With != nil ||
		s.SelectIntoOpt != nil || s.Kind != ast.SelectStmtKindSelect || s.AfterSetOperator != nil ||
		(s.LockInfo != nil && s.LockInfo.LockType != ast.SelectLockNone) {
		return nil, r.errAt(0, "syntax error: this form of SELECT is not supported in KSQL")
	}
	sel := &Select{Pos: r.toks[0].Pos, Window: r.window, Emit: r.emit}
	if s.Fields == nil || len(s.Fields.Fields) != len(r.items) {
		return nil, r.errAt(0, "syntax error: malformed select list")
	}
	for k, f := range s.Fields.Fields {
		span := r.items[k]
		it := SelectItem{Pos: r.tok(span[0]).Pos}
		switch {
		case f.WildCard != nil:
			if f.WildCard.Schema.O != "" {
				return nil, r.unexpected(span[0])
			}
			it.Star = true
			if f.WildCard.Table.O != "" {
				id := identOf(r.tok(span[0]))
				it.Source = &id
			}
		default:
			c.item = f.Expr
			e, err := c.expr(f.Expr)
			c.item = nil
			if err != nil {
				return nil, err
			}
			it.Expr = e
			if d, ok := e.(*Deref); ok && d.Field.Name == "*" && !d.Field.Quoted {
				// STRUCT_COL->*: every field of the struct, as columns named after them.
				if f.AsName.O != "" {
					return nil, r.unexpected(span[1] - 1)
				}
				it.Star, it.Expr = true, d.X
			}
			if f.AsName.O != "" {
				last := r.tok(span[1] - 1)
				if !isWord(last) {
					return nil, r.unexpected(span[1] - 1)
				}
				id := identOf(last)
				it.Alias = &id
			}
		}
		sel.Items = append(sel.Items, it)
	}
	if s.From != nil {
		rel, err := c.relation(s.From.TableRefs)
		if err != nil {
			return nil, err
		}
		sel.From = rel
	} else {
		return nil, nearf(r.tok(len(r.toks)), "expecting FROM")
	}
	var err error
	if s.Where != nil {
		if sel.Where, err = c.expr(s.Where); err != nil {
			return nil, err
		}
	}
	if s.GroupBy != nil {
		if s.GroupBy.Rollup {
			return nil, r.errAt(0, "syntax error: WITH ROLLUP is not supported in KSQL")
		}
		if err := c.checkGroupBy(s.GroupBy.Items, r.groupBy); err != nil {
			return nil, err
		}
		if sel.GroupBy, err = c.byItems(s.GroupBy.Items, r.groupBy); err != nil {
			return nil, err
		}
	}
	if s.Having != nil {
		if sel.Having, err = c.expr(s.Having.Expr); err != nil {
			return nil, err
		}
	}
	if s.OrderBy != nil {
		if !r.partition {
			return nil, r.errAt(0, "syntax error: ORDER BY is not supported in KSQL")
		}
		if sel.PartitionBy, err = c.byItems(s.OrderBy.Items, r.partitionBy); err != nil {
			return nil, err
		}
	}
	if s.Limit != nil {
		if s.Limit.Offset != nil {
			return nil, r.unexpected(r.limit + 2) // LIMIT n, m
		}
		// TiDB gives the count no position: take it from the tokens.
		t := r.tok(r.limit + 1)
		if _, ok := s.Limit.Count.(*test_driver.ValueExpr); !ok || r.limit < 0 || t.Kind != TokNumber {
			return nil, r.unexpected(r.limit + 1)
		}
		sel.Limit = numberLit(t.Value, t.Pos)
	}
	return sel, nil
}

// byItems converts GROUP BY or PARTITION BY items; starts holds the first token of each.
func (c *converter) byItems(items []*ast.ByItem, starts []int) ([]Expr, error) {
	var out []Expr
	for k, it := range items {
		if it.Desc {
			return nil, c.unsupported(it.Expr)
		}
		if _, ok := it.Expr.(*ast.PositionExpr); ok { // GROUP BY 1: a constant in KSQL
			if k >= len(starts) || c.r.tok(starts[k]).Kind != TokNumber {
				return nil, c.r.errAt(0, "syntax error: malformed GROUP BY")
			}
			t := c.r.tok(starts[k])
			out = append(out, numberLit(t.Value, t.Pos))
			continue
		}
		if row, ok := it.Expr.(*ast.RowExpr); ok { // GROUP BY (a, b)
			for _, v := range row.Values {
				e, err := c.expr(v)
				if err != nil {
					return nil, err
				}
				out = append(out, e)
			}
			continue
		}
		e, err := c.expr(it.Expr)
		if err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, nil
}

func (c *converter) relation(n ast.ResultSetNode) (*Relation, error) {
	r := c.r
	switch n := n.(type) {
	case *ast.Join:
		if n.Right == nil {
			return c.relation(n.Left)
		}
		if n.Using != nil || n.NaturalJoin || n.StraightJoin || n.ExplicitParens {
			return nil, r.errAt(0, "syntax error: this form of JOIN is not supported in KSQL")
		}
		left, err := c.relation(n.Left)
		if err != nil {
			return nil, err
		}
		if c.joins >= len(r.joins) {
			return nil, r.errAt(0, "syntax error: unexpected join")
		}
		ji := r.joins[c.joins]
		c.joins++
		if _, ok := n.Right.(*ast.TableSource); !ok {
			return nil, errorf(ji.pos, "syntax error: only a source can be joined")
		}
		right, err := c.relation(n.Right)
		if err != nil {
			return nil, err
		}
		j := &Join{Pos: ji.pos, Kind: ji.kind, Left: left, Right: right, Within: ji.within}
		if n.On == nil {
			return nil, errorf(ji.pos, "syntax error: JOIN requires an ON clause")
		}
		if j.On, err = c.expr(n.On.Expr); err != nil {
			return nil, err
		}
		return &Relation{Pos: left.Pos, Join: j}, nil
	case *ast.TableSource:
		tn, ok := n.Source.(*ast.TableName)
		if !ok || c.srcs >= len(r.sources) {
			return nil, r.errAt(0, "syntax error: only sources can be selected from")
		}
		si := r.sources[c.srcs]
		c.srcs++
		if tn.Schema.O != "" || len(tn.IndexHints) > 0 || len(tn.PartitionNames) > 0 || tn.TableSample != nil || tn.AsOf != nil {
			return nil, errorf(si.name.Pos, "Syntax error at or near '%s' at line %d:%d: not supported in KSQL", si.name.Name, si.name.Pos.Line, si.name.Pos.Col)
		}
		name := si.name
		return &Relation{Pos: name.Pos, Source: &name, Alias: si.alias}, nil
	}
	return nil, r.errAt(0, "syntax error: unsupported FROM clause")
}

var binOps = map[opcode.Op]Op{
	opcode.Plus: OpAdd, opcode.Minus: OpSub, opcode.Mul: OpMul, opcode.Div: OpDiv, opcode.Mod: OpMod,
	opcode.Or: OpConcat, opcode.EQ: OpEq, opcode.NE: OpNe, opcode.LT: OpLt, opcode.LE: OpLe,
	opcode.GT: OpGt, opcode.GE: OpGe, opcode.LogicAnd: OpAnd, opcode.LogicOr: OpOr,
}

func isComparison(n ast.ExprNode) bool {
	switch n := n.(type) {
	case *ast.BinaryOperationExpr:
		switch n.Op {
		case opcode.EQ, opcode.NE, opcode.LT, opcode.LE, opcode.GT, opcode.GE, opcode.NullEQ:
			return true
		}
	case *ast.IsNullExpr, *ast.BetweenExpr, *ast.PatternInExpr, *ast.PatternLikeOrIlikeExpr:
		return true
	}
	return false
}

func (c *converter) exprs(ns []ast.ExprNode) ([]Expr, error) {
	out := make([]Expr, 0, len(ns))
	for _, n := range ns {
		e, err := c.expr(n)
		if err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, nil
}

// expr converts a TiDB expression with an allow-list: anything not listed is an error.
func (c *converter) expr(n ast.ExprNode) (Expr, error) {
	r := c.r
	pos := c.pos(n)
	switch n := n.(type) {
	case *ast.ColumnNameExpr:
		cn := n.Name
		if cn.Schema.O != "" {
			return nil, c.unsupported(n)
		}
		i := c.tokIdx(n)
		ref := &ColumnRef{Pos: pos, Name: identOf(r.tok(i))}
		if cn.Table.O != "" {
			src := identOf(r.tok(i))
			ref.Source = &src
			ref.Name = identOf(r.tok(i + 2))
		}
		if !isWord(r.tok(i)) || ref.Name.Name != cn.Name.O {
			return nil, c.unsupported(n)
		}
		return ref, nil
	case *test_driver.ValueExpr:
		t := r.tok(c.tokIdx(n))
		switch {
		case t.Kind == TokString:
			return &Literal{Kind: LitString, Text: t.Value, Pos: t.Pos}, nil
		case t.Kind == TokNumber:
			return numberLit(t.Value, t.Pos), nil
		case t.Is("NULL"):
			return &Literal{Kind: LitNull, Text: "NULL", Pos: t.Pos}, nil
		case t.Is("TRUE") || t.Is("FALSE"):
			return &Literal{Kind: LitBool, Text: t.Value, Pos: t.Pos}, nil
		}
		return nil, c.unsupported(n)
	case *ast.ParenthesesExpr:
		return c.expr(n.Expr)
	case *ast.UnaryOperationExpr:
		x, err := c.expr(n.V)
		if err != nil {
			return nil, err
		}
		switch n.Op {
		case opcode.Not:
			return &Unary{Pos: pos, Op: OpNot, X: x}, nil
		case opcode.Minus, opcode.Plus:
			if l, ok := x.(*Literal); ok && (l.Kind == LitInteger || l.Kind == LitDecimal || l.Kind == LitDouble) &&
				l.Text[0] != '-' && r.tok(c.tokIdx(n)+1).Pos == l.Pos {
				if n.Op == opcode.Minus {
					return numberLit("-"+l.Text, pos), nil
				}
				return numberLit(l.Text, pos), nil
			}
			op := OpNeg
			if n.Op == opcode.Plus {
				op = OpPlus
			}
			return &Unary{Pos: pos, Op: op, X: x}, nil
		}
	case *ast.BinaryOperationExpr:
		if isComparison(n) && (isComparison(n.L) || isComparison(n.R)) {
			return nil, c.unsupported(n) // chained comparison, e.g. a = b = c
		}
		l, err := c.expr(n.L)
		if err != nil {
			return nil, err
		}
		rr, err := c.expr(n.R)
		if err != nil {
			return nil, err
		}
		if n.Op == opcode.NullEQ {
			not, ok := r.distinctNot[c.tokIdx(n.R)]
			if !ok {
				return nil, c.unsupported(n)
			}
			return &IsDistinct{Pos: pos, L: l, R: rr, Not: not}, nil
		}
		if op, ok := binOps[n.Op]; ok {
			return &Binary{Pos: pos, Op: op, L: l, R: rr}, nil
		}
	case *ast.IsNullExpr:
		x, err := c.expr(n.Expr)
		if err != nil {
			return nil, err
		}
		return &IsNull{Pos: pos, X: x, Not: n.Not}, nil
	case *ast.BetweenExpr:
		es, err := c.exprs([]ast.ExprNode{n.Expr, n.Left, n.Right})
		if err != nil {
			return nil, err
		}
		return &Between{Pos: pos, X: es[0], Lo: es[1], Hi: es[2], Not: n.Not}, nil
	case *ast.PatternInExpr:
		if n.Sel != nil {
			return nil, c.unsupported(n)
		}
		x, err := c.expr(n.Expr)
		if err != nil {
			return nil, err
		}
		list, err := c.exprs(n.List)
		if err != nil {
			return nil, err
		}
		return &In{Pos: pos, X: x, List: list, Not: n.Not}, nil
	case *ast.PatternLikeOrIlikeExpr:
		if !n.IsLike {
			return nil, c.unsupported(n)
		}
		es, err := c.exprs([]ast.ExprNode{n.Expr, n.Pattern})
		if err != nil {
			return nil, err
		}
		l := &Like{Pos: pos, X: es[0], Pattern: es[1], Not: n.Not}
		if n.EscapeExplicit {
			l.Escape = rune(n.Escape)
		}
		return l, nil
	case *ast.CaseExpr:
		cs := &Case{Pos: pos}
		var err error
		if n.Value != nil {
			if cs.Operand, err = c.expr(n.Value); err != nil {
				return nil, err
			}
		}
		for _, w := range n.WhenClauses {
			es, err := c.exprs([]ast.ExprNode{w.Expr, w.Result})
			if err != nil {
				return nil, err
			}
			cs.Whens = append(cs.Whens, When{Cond: es[0], Result: es[1]})
		}
		if n.ElseClause != nil {
			if cs.Else, err = c.expr(n.ElseClause); err != nil {
				return nil, err
			}
		}
		return cs, nil
	case *ast.FuncCallExpr:
		if n.Schema.O == "" {
			return c.call(n, pos)
		}
	}
	return nil, c.unsupported(n)
}

func (c *converter) call(n *ast.FuncCallExpr, pos Pos) (Expr, error) {
	r := c.r
	i := c.tokIdx(n)
	switch n.FnName.O {
	case fnArray:
		es, err := c.exprs(n.Args)
		return &ArrayExpr{Pos: pos, Elems: es}, err
	case fnSub:
		es, err := c.exprs(n.Args)
		if err != nil {
			return nil, err
		}
		if len(es) != 2 {
			return nil, c.unsupported(n)
		}
		return &Subscript{Pos: pos, X: es[0], Index: es[1]}, nil
	case fnDeref:
		if len(n.Args) != 2 {
			return nil, c.unsupported(n)
		}
		x, err := c.expr(n.Args[0])
		if err != nil {
			return nil, err
		}
		f := r.tok(c.tokIdx(n.Args[1]))
		if f.IsOp("*") {
			if ast.ExprNode(n) != c.item {
				return nil, nearf(f, "->* is only allowed as a whole select item")
			}
			return &Deref{Pos: pos, X: x, Field: Ident{Name: "*", Pos: f.Pos}}, nil
		}
		if !isWord(f) {
			return nil, c.unsupported(n)
		}
		return &Deref{Pos: pos, X: x, Field: identOf(f)}, nil
	case fnCast:
		if len(n.Args) != 2 {
			return nil, c.unsupported(n)
		}
		x, err := c.expr(n.Args[0])
		if err != nil {
			return nil, err
		}
		v, ok := n.Args[1].(*test_driver.ValueExpr)
		var k int64
		if ok {
			k, ok = v.GetValue().(int64)
		}
		if !ok || k < 0 || int(k) >= len(r.casts) {
			return nil, c.unsupported(n)
		}
		return &Cast{Pos: pos, Expr: x, Type: r.casts[k]}, nil
	case fnMap, fnStruct:
		if len(n.Args)%2 != 0 {
			return nil, c.unsupported(n)
		}
		es, err := c.exprs(n.Args)
		if err != nil {
			return nil, err
		}
		if n.FnName.O == fnMap {
			m := &MapExpr{Pos: pos}
			for k := 0; k < len(es); k += 2 {
				m.Entries = append(m.Entries, MapEntry{Key: es[k], Value: es[k+1]})
			}
			return m, nil
		}
		s := &StructExpr{Pos: pos}
		for k := 0; k < len(es); k += 2 {
			ref, ok := es[k].(*ColumnRef)
			if !ok || ref.Source != nil {
				return nil, errorf(es[k].Position(), "syntax error: expecting a field name")
			}
			s.Fields = append(s.Fields, StructValue{Name: ref.Name, Value: es[k+1]})
		}
		return s, nil
	case fnLambda, fnStar, fnDistinct:
		return nil, c.unsupported(n)
	}
	name := r.tok(i)
	if !isWord(name) || name.Value != n.FnName.O {
		return nil, c.unsupported(n)
	}
	call := &Call{Pos: pos, Name: identOf(name)}
	args := n.Args
	if len(args) > 0 {
		if f, ok := args[0].(*ast.FuncCallExpr); ok {
			switch f.FnName.O {
			case fnStar:
				if len(args) != 1 || len(f.Args) != 0 {
					return nil, c.unsupported(f)
				}
				call.Star = true
				return call, nil
			case fnDistinct:
				if len(f.Args) != 0 {
					return nil, c.unsupported(f)
				}
				call.Distinct = true
				args = args[1:]
			}
		}
	}
	for _, a := range args {
		if f, ok := a.(*ast.FuncCallExpr); ok && f.FnName.O == fnLambda {
			l, err := c.lambda(f)
			if err != nil {
				return nil, err
			}
			call.Args = append(call.Args, l)
			continue
		}
		e, err := c.expr(a)
		if err != nil {
			return nil, err
		}
		call.Args = append(call.Args, e)
	}
	return call, nil
}

func (c *converter) lambda(f *ast.FuncCallExpr) (*Lambda, error) {
	if len(f.Args) != 2 {
		return nil, c.unsupported(f)
	}
	l := &Lambda{Pos: c.pos(f)}
	params := []ast.ExprNode{f.Args[0]}
	switch p := f.Args[0].(type) {
	case *ast.RowExpr:
		params = p.Values
	case *ast.ParenthesesExpr:
		params = []ast.ExprNode{p.Expr}
	}
	for _, p := range params {
		ref, err := c.expr(p)
		if err != nil {
			return nil, err
		}
		cr, ok := ref.(*ColumnRef)
		if !ok || cr.Source != nil {
			return nil, errorf(ref.Position(), "syntax error: expecting a lambda parameter name")
		}
		l.Params = append(l.Params, cr.Name)
	}
	body, err := c.expr(f.Args[1])
	if err != nil {
		return nil, err
	}
	l.Body = body
	return l, nil
}
