package expr

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/ksqlgo/ksqlgo/sql/functions"
	"github.com/ksqlgo/ksqlgo/sql/parser"
	"github.com/ksqlgo/ksqlgo/sql/types"
)

// Eval evaluates a compiled expression over a row.
type Eval func(row []any) (any, error)

// Compiled is a type-checked expression.
type Compiled struct {
	Type *types.Type
	Eval Eval
	// Const is true when the expression does not depend on the row (Value is its value).
	Const bool
	Value any
	// parts are the compiled operands of a constructor (ARRAY, MAP: key and value of
	// each entry, STRUCT), before any coercion, for coercing the constructor to another
	// type element by element.
	parts []*Compiled
}

// Compiler compiles expressions. The zero value is not usable: set Funcs.
type Compiler struct {
	Funcs  *functions.Registry
	Config functions.Config
	// Types resolves custom type names in CAST (CREATE TYPE); may be nil.
	Types func(name string) *types.Type
	// Call, when set, is consulted first for every function call; it returns (nil, nil)
	// to let the compiler handle the call as a scalar function. The planner uses it to
	// replace aggregate calls by the slot holding their result.
	Call func(c *parser.Call, scope *Scope) (*Compiled, error)
	// Column, when set, is consulted first for column references (same contract).
	Column func(ref *parser.ColumnRef, scope *Scope) (*Compiled, error)
	// Subtree, when set, is consulted first for every node (same contract); the planner
	// uses it to replace GROUP BY expressions by the key slots.
	Subtree func(e parser.Expr, scope *Scope) (*Compiled, error)
	// CallError, when set, receives the error of a scalar function call, which then
	// evaluates to NULL as in ksqlDB's generated code (the rest of the expression goes
	// on); when nil, the error is the expression's.
	CallError func(function string, err error)
}

func constant(t *types.Type, v any) *Compiled {
	return &Compiled{Type: t, Const: true, Value: v, Eval: func([]any) (any, error) { return v, nil }}
}

// Compile type-checks e in scope and returns its closure. Constant sub-expressions are
// folded when they evaluate without error.
func (c *Compiler) Compile(e parser.Expr, scope *Scope) (*Compiled, error) {
	if ref, ok := e.(*parser.ColumnRef); ok {
		if p, ok := scope.param(ref); ok {
			return slotRef(p), nil
		}
	}
	if c.Subtree != nil {
		if r, err := c.Subtree(e, scope); r != nil || err != nil {
			return r, err
		}
	}
	r, err := c.compile(e, scope)
	if err != nil {
		return nil, err
	}
	if !r.Const && isFoldable(e) && !dependsOnRow(e) {
		if v, ok := tryFold(r); ok {
			f := constant(r.Type, v)
			f.parts = r.parts
			return f, nil
		}
	}
	return r, nil
}

// tryFold evaluates a row-independent expression once; expressions that read the row
// anyway (hooks may resolve names to slots) are left alone.
func tryFold(r *Compiled) (v any, ok bool) {
	defer func() {
		if recover() != nil {
			ok = false
		}
	}()
	v, err := r.Eval(nil)
	return v, err == nil
}

// isFoldable says whether folding e is allowed: not for non-deterministic functions.
func isFoldable(e parser.Expr) bool {
	switch x := e.(type) {
	case *parser.Call:
		switch strings.ToUpper(x.Name.Name) {
		case "RANDOM", "UUID", "UNIX_TIMESTAMP", "UNIX_DATE", "NOW":
			return false
		}
		for _, a := range x.Args {
			if !isFoldable(a) {
				return false
			}
		}
	}
	return true
}

// dependsOnRow says whether e references columns or lambdas.
func dependsOnRow(e parser.Expr) bool {
	found := false
	Walk(e, func(n parser.Expr) bool {
		switch n.(type) {
		case *parser.ColumnRef, *parser.Lambda:
			found = true
		case *parser.Call:
			// aggregate calls resolve to slots
			if n.(*parser.Call).Star {
				found = true
			}
		}
		return !found
	})
	return found
}

func (c *Compiler) compile(e parser.Expr, scope *Scope) (*Compiled, error) {
	switch x := e.(type) {
	case *parser.Literal:
		return compileLiteral(x)
	case *parser.ColumnRef:
		if c.Column != nil {
			if r, err := c.Column(x, scope); r != nil || err != nil {
				return r, err
			}
		}
		col, err := scope.Resolve(x)
		if err != nil {
			return nil, err
		}
		return slotRef(col), nil
	case *parser.Unary:
		return c.unary(x, scope)
	case *parser.Binary:
		return c.binary(x, scope)
	case *parser.IsNull:
		a, err := c.Compile(x.X, scope)
		if err != nil {
			return nil, err
		}
		not := x.Not
		return &Compiled{Type: types.BOOLEAN, Eval: func(row []any) (any, error) {
			v, err := a.Eval(row)
			if err != nil {
				return nil, err
			}
			return (v == nil) != not, nil
		}}, nil
	case *parser.IsDistinct:
		return c.isDistinct(x, scope)
	case *parser.Between:
		return c.between(x, scope)
	case *parser.Like:
		return c.like(x, scope)
	case *parser.In:
		return c.in(x, scope)
	case *parser.Case:
		return c.caseExpr(x, scope)
	case *parser.Cast:
		a, err := c.Compile(x.Expr, scope)
		if err != nil {
			return nil, err
		}
		t, err := c.ResolveType(x.Type)
		if err != nil {
			return nil, err
		}
		return castTo(a, t, x.Pos)
	case *parser.Deref:
		return c.deref(x, scope)
	case *parser.Subscript:
		return c.subscript(x, scope)
	case *parser.ArrayExpr:
		return c.array(x, scope)
	case *parser.MapExpr:
		return c.mapExpr(x, scope)
	case *parser.StructExpr:
		return c.structExpr(x, scope)
	case *parser.Call:
		if c.Call != nil {
			if r, err := c.Call(x, scope); r != nil || err != nil {
				return r, err
			}
		}
		return c.call(x, scope)
	case *parser.Lambda:
		return nil, errorAt(x.Pos, "Lambda expressions can only be used as function arguments")
	case *parser.RawExpr:
		return nil, errorAt(x.Pos, "unsupported expression: %s", x.Text)
	}
	return nil, errorAt(e.Position(), "unsupported expression %T", e)
}

// slotRef reads a column's slot.
func slotRef(col Col) *Compiled {
	slot := col.Slot
	return &Compiled{Type: col.Type, Eval: func(row []any) (any, error) { return row[slot], nil }}
}

func compileLiteral(l *parser.Literal) (*Compiled, error) {
	switch l.Kind {
	case parser.LitNull:
		return constant(types.NULL, nil), nil
	case parser.LitBool:
		return constant(types.BOOLEAN, l.Text == "TRUE"), nil
	case parser.LitInteger:
		n, err := strconv.ParseInt(l.Text, 10, 64)
		if err != nil {
			d, derr := types.ParseDecimal(l.Text)
			if derr != nil {
				return nil, errorAt(l.Pos, "invalid number %s", l.Text)
			}
			return constant(types.DecimalOf(max(d.Precision(), 1), 0), d), nil
		}
		if n >= math.MinInt32 && n <= math.MaxInt32 {
			return constant(types.INT, int32(n)), nil
		}
		return constant(types.BIGINT, n), nil
	case parser.LitDecimal:
		d, err := types.ParseDecimal(l.Text)
		if err != nil {
			return nil, errorAt(l.Pos, "invalid number %s", l.Text)
		}
		p := d.Precision()
		if d.Scale > p {
			p = d.Scale
		}
		return constant(types.DecimalOf(p, d.Scale), d), nil
	case parser.LitDouble:
		f, err := strconv.ParseFloat(l.Text, 64)
		if err != nil {
			return nil, errorAt(l.Pos, "invalid number %s", l.Text)
		}
		return constant(types.DOUBLE, f), nil
	case parser.LitString:
		return constant(types.STRING, l.Text), nil
	}
	return nil, errorAt(l.Pos, "unsupported literal %s", l.Text)
}

// ResolveType converts a parsed type into a SQL type, resolving custom types.
func (c *Compiler) ResolveType(t *parser.Type) (*types.Type, error) {
	return ConvertType(t, c.Types)
}

// ConvertType converts a parsed type; custom resolves CREATE TYPE names (may be nil).
func ConvertType(t *parser.Type, custom func(string) *types.Type) (*types.Type, error) {
	switch t.Kind {
	case parser.TypeBoolean:
		return types.BOOLEAN, nil
	case parser.TypeInt:
		return types.INT, nil
	case parser.TypeBigint:
		return types.BIGINT, nil
	case parser.TypeDouble:
		return types.DOUBLE, nil
	case parser.TypeDecimal:
		if t.Precision < 1 {
			return nil, errorAt(t.Pos, "DECIMAL precision must be >= 1: DECIMAL(%d, %d)", t.Precision, t.Scale)
		}
		if t.Scale > t.Precision {
			return nil, errorAt(t.Pos, "Cannot create decimal with scale %d greater than precision %d", t.Scale, t.Precision)
		}
		return types.DecimalOf(t.Precision, t.Scale), nil
	case parser.TypeString:
		return types.STRING, nil
	case parser.TypeBytes:
		return types.BYTES, nil
	case parser.TypeDate:
		return types.DATE, nil
	case parser.TypeTime:
		return types.TIME, nil
	case parser.TypeTimestamp:
		return types.TIMESTAMP, nil
	case parser.TypeArray:
		e, err := ConvertType(t.Elem, custom)
		if err != nil {
			return nil, err
		}
		return types.ArrayOf(e), nil
	case parser.TypeMap:
		k, err := ConvertType(t.Key, custom)
		if err != nil {
			return nil, err
		}
		v, err := ConvertType(t.Elem, custom)
		if err != nil {
			return nil, err
		}
		return types.MapOf(k, v), nil
	case parser.TypeStruct:
		fs := make([]types.Field, len(t.Fields))
		for i, f := range t.Fields {
			ft, err := ConvertType(f.Type, custom)
			if err != nil {
				return nil, err
			}
			fs[i] = types.Field{Name: f.Name.Name, Type: ft}
		}
		return types.StructOf(fs...), nil
	case parser.TypeCustom:
		if custom != nil {
			if ct := custom(t.Name.Name); ct != nil {
				return ct, nil
			}
		}
		return nil, errorAt(t.Pos, "Unknown type: %s", t.Name.Name)
	}
	return nil, errorAt(t.Pos, "unsupported type %s", t.Kind)
}

func (c *Compiler) unary(x *parser.Unary, scope *Scope) (*Compiled, error) {
	a, err := c.Compile(x.X, scope)
	if err != nil {
		return nil, err
	}
	switch x.Op {
	case parser.OpNot:
		if a.Type.Kind != types.KBoolean && a.Type.Kind != types.KNull {
			return nil, errorAt(x.Pos, "Operator NOT requires a BOOLEAN operand, got %s", a.Type.SQL())
		}
		return &Compiled{Type: types.BOOLEAN, Eval: func(row []any) (any, error) {
			v, err := a.Eval(row)
			if v == nil || err != nil {
				return nil, err
			}
			return !v.(bool), nil
		}}, nil
	case parser.OpPlus:
		if !a.Type.IsNumeric() && a.Type.Kind != types.KNull {
			return nil, errorAt(x.Pos, "Unary operator + requires a numeric operand, got %s", a.Type.SQL())
		}
		return a, nil
	}
	if !a.Type.IsNumeric() && a.Type.Kind != types.KNull {
		return nil, errorAt(x.Pos, "Unary operator - requires a numeric operand, got %s", a.Type.SQL())
	}
	return &Compiled{Type: a.Type, Eval: func(row []any) (any, error) {
		v, err := a.Eval(row)
		if v == nil || err != nil {
			return nil, err
		}
		switch n := v.(type) {
		case int32:
			return -n, nil
		case int64:
			return -n, nil
		case float64:
			return -n, nil
		case types.Decimal:
			return n.Neg(), nil
		}
		return nil, fmt.Errorf("cannot negate %T", v)
	}}, nil
}

// compileAll compiles the operands of one node, in order.
func (c *Compiler) compileAll(scope *Scope, es ...parser.Expr) ([]*Compiled, error) {
	out := make([]*Compiled, len(es))
	for i, e := range es {
		ce, err := c.Compile(e, scope)
		if err != nil {
			return nil, err
		}
		out[i] = ce
	}
	return out, nil
}

func (c *Compiler) isDistinct(x *parser.IsDistinct, scope *Scope) (*Compiled, error) {
	ops, err := c.compileAll(scope, x.L, x.R)
	if err != nil {
		return nil, err
	}
	l, r := ops[0], ops[1]
	not := x.Not
	return &Compiled{Type: types.BOOLEAN, Eval: func(row []any) (any, error) {
		a, b, err := evalPair(l, r, row)
		if err != nil {
			return nil, err
		}
		distinct := !types.Equal(a, b)
		return distinct != not, nil
	}}, nil
}

func (c *Compiler) between(x *parser.Between, scope *Scope) (*Compiled, error) {
	ops, err := c.compileAll(scope, x.X, x.Lo, x.Hi)
	if err != nil {
		return nil, err
	}
	v, lo, hi := ops[0], ops[1], ops[2]
	if lo, err = coerceConst(lo, v.Type); err != nil {
		return nil, errorAt(x.Pos, "Invalid Predicate: %v", err)
	}
	if hi, err = coerceConst(hi, v.Type); err != nil {
		return nil, errorAt(x.Pos, "Invalid Predicate: %v", err)
	}
	for i, b := range []*Compiled{lo, hi} {
		if _, err := checkComparable(v.Type, b.Type); err != nil {
			side := x.Lo
			if i == 1 {
				side = x.Hi
			}
			return nil, opError(x.Pos, v.Type, "=", b.Type, side)
		}
	}
	not := x.Not
	return &Compiled{Type: types.BOOLEAN, Eval: func(row []any) (any, error) {
		a, err := v.Eval(row)
		if a == nil || err != nil {
			return nil, err
		}
		l, err := lo.Eval(row)
		if l == nil || err != nil {
			return nil, err
		}
		h, err := hi.Eval(row)
		if h == nil || err != nil {
			return nil, err
		}
		c1, ok1 := types.Compare(a, l)
		c2, ok2 := types.Compare(a, h)
		if !ok1 || !ok2 {
			return nil, nil
		}
		return (c1 >= 0 && c2 <= 0) != not, nil
	}}, nil
}

func (c *Compiler) in(x *parser.In, scope *Scope) (*Compiled, error) {
	es := append([]parser.Expr{x.X}, x.List...)
	cs, err := c.compileAll(scope, es...)
	if err != nil {
		return nil, err
	}
	cs, _, err = coerceList(es, cs)
	if err != nil {
		var ee *Error
		if errors.As(err, &ee) {
			return nil, errorAt(ee.Pos, "Invalid Predicate: %s", ee.Msg)
		}
		return nil, errorAt(x.Pos, "Invalid Predicate: %v", err)
	}
	v, list := cs[0], cs[1:]
	not := x.Not
	return &Compiled{Type: types.BOOLEAN, Eval: func(row []any) (any, error) {
		a, err := v.Eval(row)
		if a == nil || err != nil {
			return nil, err
		}
		for _, l := range list {
			b, err := l.Eval(row)
			if err != nil {
				return nil, err
			}
			if b != nil && types.Equal(a, b) {
				return !not, nil
			}
		}
		return not, nil
	}}, nil
}

func (c *Compiler) like(x *parser.Like, scope *Scope) (*Compiled, error) {
	ops, err := c.compileAll(scope, x.X, x.Pattern)
	if err != nil {
		return nil, err
	}
	v, p := ops[0], ops[1]
	for _, a := range []*Compiled{v, p} {
		if a.Type.Kind != types.KString && a.Type.Kind != types.KNull {
			return nil, errorAt(x.Pos, "LIKE requires STRING operands, got %s", a.Type.SQL())
		}
	}
	esc := x.Escape
	not := x.Not
	var fixed func(string) bool
	if p.Const && p.Value != nil {
		fixed = likeMatcher(p.Value.(string), esc)
	}
	return &Compiled{Type: types.BOOLEAN, Eval: func(row []any) (any, error) {
		a, err := v.Eval(row)
		if a == nil || err != nil {
			return nil, err
		}
		m := fixed
		if m == nil {
			pv, err := p.Eval(row)
			if pv == nil || err != nil {
				return nil, err
			}
			m = likeMatcher(pv.(string), esc)
		}
		return m(a.(string)) != not, nil
	}}, nil
}

// likeMatcher matches SQL LIKE patterns: % any run, _ one character, esc escapes.
func likeMatcher(pattern string, esc rune) func(string) bool {
	type tok struct {
		kind byte // 'l' literal, '%', '_'
		r    rune
	}
	var toks []tok
	rs := []rune(pattern)
	for i := 0; i < len(rs); i++ {
		r := rs[i]
		switch {
		case esc != 0 && r == esc && i+1 < len(rs):
			i++
			toks = append(toks, tok{'l', rs[i]})
		case r == '%':
			toks = append(toks, tok{'%', 0})
		case r == '_':
			toks = append(toks, tok{'_', 0})
		default:
			toks = append(toks, tok{'l', r})
		}
	}
	return func(s string) bool {
		in := []rune(s)
		// iterative wildcard matching with backtracking on the last %
		ti, si, star, mark := 0, 0, -1, 0
		for si < len(in) {
			switch {
			case ti < len(toks) && (toks[ti].kind == '_' || toks[ti].kind == 'l' && toks[ti].r == in[si]):
				ti++
				si++
			case ti < len(toks) && toks[ti].kind == '%':
				star, mark = ti, si
				ti++
			case star >= 0:
				ti = star + 1
				mark++
				si = mark
			default:
				return false
			}
		}
		for ti < len(toks) && toks[ti].kind == '%' {
			ti++
		}
		return ti == len(toks)
	}
}

func (c *Compiler) caseExpr(x *parser.Case, scope *Scope) (*Compiled, error) {
	var operand *Compiled
	var err error
	if x.Operand != nil {
		if operand, err = c.Compile(x.Operand, scope); err != nil {
			return nil, err
		}
	}
	conds := make([]*Compiled, len(x.Whens))
	results := make([]*Compiled, len(x.Whens)+1)
	var rt *types.Type
	for i, w := range x.Whens {
		if conds[i], err = c.Compile(w.Cond, scope); err != nil {
			return nil, err
		}
		if operand == nil && conds[i].Type.Kind != types.KBoolean && conds[i].Type.Kind != types.KNull {
			return nil, errorAt(w.Cond.Position(), "WHEN operand type should be boolean.\nType for '%s' is %s", Format(w.Cond), conds[i].Type.SQL())
		}
		if results[i], err = c.Compile(w.Result, scope); err != nil {
			return nil, err
		}
	}
	if x.Else != nil {
		if results[len(x.Whens)], err = c.Compile(x.Else, scope); err != nil {
			return nil, err
		}
	}
	for _, r := range results {
		if r == nil || r.Type.Kind == types.KNull {
			continue
		}
		if rt == nil {
			rt = r.Type
			continue
		}
		ct, ok := commonType(rt, r.Type)
		if !ok {
			return nil, errorAt(x.Pos, "Invalid Case expression. Type for all 'THEN' clauses should be the same.\nTHEN expression '%s' has type: %s.", Format(x.Whens[0].Result), r.Type.SQL())
		}
		rt = ct
	}
	if rt == nil {
		return nil, errorAt(x.Pos, "Invalid Case expression. All case branches have NULL type")
	}
	for i, r := range results {
		if r != nil {
			results[i], err = castTo(r, rt, x.Pos)
			if err != nil {
				return nil, err
			}
		}
	}
	elseR := results[len(x.Whens)]
	return &Compiled{Type: rt, Eval: func(row []any) (any, error) {
		var ov any
		if operand != nil {
			v, err := operand.Eval(row)
			if err != nil {
				return nil, err
			}
			ov = v
		}
		for i, cond := range conds {
			cv, err := cond.Eval(row)
			if err != nil {
				return nil, err
			}
			hit := false
			if operand != nil {
				hit = ov != nil && cv != nil && types.Equal(ov, cv)
			} else {
				hit = cv == true
			}
			if hit {
				return results[i].Eval(row)
			}
		}
		if elseR != nil {
			return elseR.Eval(row)
		}
		return nil, nil
	}}, nil
}

func (c *Compiler) deref(x *parser.Deref, scope *Scope) (*Compiled, error) {
	a, err := c.Compile(x.X, scope)
	if err != nil {
		return nil, err
	}
	if a.Type.Kind != types.KStruct {
		return nil, errorAt(x.Pos, "Expected STRUCT type, got %s for %s", a.Type.SQL(), Format(x.X))
	}
	i := a.Type.FieldIndex(x.Field.Name)
	if i < 0 {
		return nil, errorAt(x.Field.Pos, "Could not find field '%s' in '%s'.", x.Field.Name, Format(x.X))
	}
	ft := a.Type.Fields[i].Type
	return &Compiled{Type: ft, Eval: func(row []any) (any, error) {
		v, err := a.Eval(row)
		if v == nil || err != nil {
			return nil, err
		}
		return v.(*types.Struct).Values[i], nil
	}}, nil
}

func (c *Compiler) subscript(x *parser.Subscript, scope *Scope) (*Compiled, error) {
	a, err := c.Compile(x.X, scope)
	if err != nil {
		return nil, err
	}
	idx, err := c.Compile(x.Index, scope)
	if err != nil {
		return nil, err
	}
	switch a.Type.Kind {
	case types.KArray:
		if idx.Type.Kind != types.KInt && idx.Type.Kind != types.KBigint {
			return nil, errorAt(x.Index.Position(), "Array index must be an INTEGER, got %s", idx.Type.SQL())
		}
		return &Compiled{Type: a.Type.Elem, Eval: func(row []any) (any, error) {
			v, err := a.Eval(row)
			if v == nil || err != nil {
				return nil, err
			}
			iv, err := idx.Eval(row)
			if iv == nil || err != nil {
				return nil, err
			}
			arr := v.([]any)
			i := toInt64(iv)
			switch {
			case i > 0 && i <= int64(len(arr)):
				return arr[i-1], nil
			case i < 0 && -i <= int64(len(arr)):
				return arr[int64(len(arr))+i], nil
			}
			return nil, nil
		}}, nil
	case types.KMap:
		idx, err = castTo(idx, a.Type.Key, x.Pos)
		if err != nil {
			return nil, err
		}
		return &Compiled{Type: a.Type.Elem, Eval: func(row []any) (any, error) {
			v, err := a.Eval(row)
			if v == nil || err != nil {
				return nil, err
			}
			k, err := idx.Eval(row)
			if k == nil || err != nil {
				return nil, err
			}
			return v.(map[any]any)[k], nil
		}}, nil
	}
	return nil, errorAt(x.Pos, "Subscript expression can only be used on ARRAY or MAP types, got %s", a.Type.SQL())
}

func toInt64(v any) int64 {
	switch n := v.(type) {
	case int32:
		return int64(n)
	case int64:
		return n
	}
	return 0
}

func (c *Compiler) array(x *parser.ArrayExpr, scope *Scope) (*Compiled, error) {
	if len(x.Elems) == 0 {
		return nil, errorAt(x.Pos, "Array constructor cannot be empty. Please supply at least one element (see https://github.com/confluentinc/ksql/issues/4239).")
	}
	parts, err := c.compileAll(scope, x.Elems...)
	if err != nil {
		return nil, err
	}
	elems, et, err := coerceList(x.Elems, parts)
	if err != nil {
		return nil, err
	}
	if et == nil {
		return nil, errorAt(x.Pos, "Cannot construct an array with all NULL elements (see https://github.com/confluentinc/ksql/issues/4239). As a workaround, you may cast a NULL value to the desired type.")
	}
	for i, a := range elems {
		if elems[i], err = castTo(a, et, x.Elems[i].Position()); err != nil {
			return nil, err
		}
	}
	r := arrayOf(types.ArrayOf(et), elems)
	r.parts = parts
	return r, nil
}

// arrayOf builds an array of type t from elements of its element type.
func arrayOf(t *types.Type, elems []*Compiled) *Compiled {
	return &Compiled{Type: t, Eval: func(row []any) (any, error) {
		out := make([]any, len(elems))
		for i, e := range elems {
			v, err := e.Eval(row)
			if err != nil {
				return nil, err
			}
			out[i] = v
		}
		return out, nil
	}}
}

func (c *Compiler) mapExpr(x *parser.MapExpr, scope *Scope) (*Compiled, error) {
	if len(x.Entries) == 0 {
		return nil, errorAt(x.Pos, "Map constructor cannot be empty. Please supply at least one key value pair (see https://github.com/confluentinc/ksql/issues/4239).")
	}
	keyExprs := make([]parser.Expr, len(x.Entries))
	valExprs := make([]parser.Expr, len(x.Entries))
	parts := make([]*Compiled, 2*len(x.Entries))
	for i, en := range x.Entries {
		keyExprs[i], valExprs[i] = en.Key, en.Value
		var err error
		if parts[2*i], err = c.Compile(en.Key, scope); err != nil {
			return nil, err
		}
		if parts[2*i+1], err = c.Compile(en.Value, scope); err != nil {
			return nil, err
		}
	}
	keys := make([]*Compiled, len(x.Entries))
	vals := make([]*Compiled, len(x.Entries))
	for i := range x.Entries {
		keys[i], vals[i] = parts[2*i], parts[2*i+1]
	}
	keys, kt, err := coerceList(keyExprs, keys)
	if err != nil {
		return nil, err
	}
	if kt == nil {
		return nil, errorAt(x.Pos, "Cannot construct a map with all NULL keys")
	}
	vals, vt, err := coerceList(valExprs, vals)
	if err != nil {
		return nil, err
	}
	if vt == nil {
		return nil, errorAt(x.Pos, "Cannot construct a map with all NULL values")
	}
	for i := range keys {
		if keys[i], err = castTo(keys[i], kt, x.Pos); err != nil {
			return nil, err
		}
		if vals[i], err = castTo(vals[i], vt, x.Pos); err != nil {
			return nil, err
		}
	}
	r := mapOf(types.MapOf(kt, vt), keys, vals)
	r.parts = parts
	return r, nil
}

// mapOf builds a map of type t from keys and values of its key and value types. A NULL
// key is kept (ksqlDB writes it as "null").
func mapOf(t *types.Type, keys, vals []*Compiled) *Compiled {
	return &Compiled{Type: t, Eval: func(row []any) (any, error) {
		out := make(map[any]any, len(keys))
		for i := range keys {
			k, err := keys[i].Eval(row)
			if err != nil {
				return nil, err
			}
			v, err := vals[i].Eval(row)
			if err != nil {
				return nil, err
			}
			out[k] = v
		}
		return out, nil
	}}
}

func (c *Compiler) structExpr(x *parser.StructExpr, scope *Scope) (*Compiled, error) {
	fields := make([]types.Field, len(x.Fields))
	parts := make([]*Compiled, len(x.Fields))
	seen := make(map[string]bool, len(x.Fields))
	for i, f := range x.Fields {
		if seen[f.Name.Name] {
			return nil, errorAt(f.Name.Pos, "Duplicate field names found in STRUCT: '%s'", Format(x))
		}
		seen[f.Name.Name] = true
		v, err := c.Compile(f.Value, scope)
		if err != nil {
			return nil, err
		}
		fields[i] = types.Field{Name: f.Name.Name, Type: nonNull(v.Type)}
		parts[i] = v
	}
	r := structOf(types.StructOf(fields...), parts)
	r.parts = parts
	return r, nil
}

// structOf builds a struct of type t from one value per field (nil: NULL).
func structOf(t *types.Type, vals []*Compiled) *Compiled {
	return &Compiled{Type: t, Eval: func(row []any) (any, error) {
		out := make([]any, len(vals))
		for i, v := range vals {
			if v == nil {
				continue
			}
			x, err := v.Eval(row)
			if err != nil {
				return nil, err
			}
			out[i] = x
		}
		return &types.Struct{Type: t, Values: out}, nil
	}}
}
