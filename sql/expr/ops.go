package expr

import (
	"cmp"
	"fmt"
	"math"
	"strings"

	"github.com/ksqlgo/ksqlgo/sql/parser"
	"github.com/ksqlgo/ksqlgo/sql/types"
)

func (c *Compiler) binary(x *parser.Binary, scope *Scope) (*Compiled, error) {
	ops, err := c.compileAll(scope, x.L, x.R)
	if err != nil {
		return nil, err
	}
	l, r := ops[0], ops[1]
	switch x.Op {
	case parser.OpAnd, parser.OpOr:
		return logical(x, l, r)
	case parser.OpEq, parser.OpNe, parser.OpLt, parser.OpLe, parser.OpGt, parser.OpGe:
		return comparison(x, l, r)
	case parser.OpConcat:
		return concat(x, l, r)
	}
	return arithmetic(x, l, r)
}

func logical(x *parser.Binary, l, r *Compiled) (*Compiled, error) {
	for i, a := range []*Compiled{l, r} {
		if a.Type.Kind != types.KBoolean && a.Type.Kind != types.KNull {
			side := x.L
			if i == 1 {
				side = x.R
			}
			return nil, errorAt(side.Position(), "Logical binary expects two boolean values. Actual %s (%s) and %s (%s)", Format(x.L), l.Type.SQL(), Format(x.R), r.Type.SQL())
		}
	}
	and := x.Op == parser.OpAnd
	return &Compiled{Type: types.BOOLEAN, Eval: func(row []any) (any, error) {
		a, err := l.Eval(row)
		if err != nil {
			return nil, err
		}
		if and && a == false {
			return false, nil
		}
		if !and && a == true {
			return true, nil
		}
		b, err := r.Eval(row)
		if err != nil {
			return nil, err
		}
		if and {
			switch {
			case b == false:
				return false, nil
			case a == nil || b == nil:
				return nil, nil
			}
			return true, nil
		}
		switch {
		case b == true:
			return true, nil
		case a == nil || b == nil:
			return nil, nil
		}
		return false, nil
	}}, nil
}

var opWords = map[parser.Op]string{parser.OpEq: "EQUAL", parser.OpNe: "NOT_EQUAL", parser.OpLt: "LESS_THAN",
	parser.OpLe: "LESS_THAN_OR_EQUAL", parser.OpGt: "GREATER_THAN", parser.OpGe: "GREATER_THAN_OR_EQUAL"}

// checkComparable checks that two types can be compared (any operator).
func checkComparable(a, b *types.Type) (bool, error) {
	if a.Kind == types.KNull || b.Kind == types.KNull {
		return true, nil
	}
	switch {
	case a.IsNumeric() && b.IsNumeric():
		return true, nil
	case a.Kind == b.Kind:
		return true, nil
	case a.Kind == types.KString && isTemporal(b), b.Kind == types.KString && isTemporal(a):
		return true, nil
	case isTemporal(a) && isTemporal(b) && (a.Kind == types.KTimestamp || b.Kind == types.KTimestamp):
		return true, nil
	}
	return false, fmt.Errorf("operator does not exist: %s = %s", a.SQL(), b.SQL())
}

func isTemporal(t *types.Type) bool {
	return t.Kind == types.KDate || t.Kind == types.KTime || t.Kind == types.KTimestamp
}

// coerceConst converts a constant STRING operand compared with a non-string type to that
// type at compile time (ksqlDB's implicit cast of literals), with ksqlDB's error.
func coerceConst(a *Compiled, to *types.Type) (*Compiled, error) {
	if !a.Const || a.Value == nil || a.Type.Kind != types.KString || to.Kind == types.KString || to.Kind == types.KNull {
		return a, nil
	}
	if !to.IsPrimitive() {
		return a, nil
	}
	s := strings.TrimSpace(a.Value.(string))
	name := to.SQL()
	if to.Kind == types.KDecimal {
		name = "DECIMAL"
	}
	bad := fmt.Errorf("invalid input syntax for type %s: \"%s\".", name, a.Value)
	switch to.Kind {
	case types.KBoolean:
		b, ok := ParseBoolean(s)
		if !ok {
			return nil, bad
		}
		return constant(to, b), nil
	case types.KInt, types.KBigint, types.KDecimal, types.KDouble:
		d, err := types.ParseDecimal(s)
		if err != nil {
			return nil, bad
		}
		v, err := numConverter(to)(d)
		if err != nil {
			return nil, bad
		}
		return constant(to, v), nil
	}
	conv, err := Converter(types.STRING, to)
	if err != nil {
		return a, nil
	}
	v, err := conv(a.Value)
	if err != nil || v == nil {
		return nil, bad
	}
	return constant(to, v), nil
}

// ParseBoolean reads a boolean as ksqlDB does: any prefix of "true"/"yes" is true, any
// prefix of "false"/"no" is false, case-insensitively.
func ParseBoolean(s string) (bool, bool) {
	l := strings.ToLower(strings.TrimSpace(s))
	if l == "" {
		return false, false
	}
	for _, w := range []string{"true", "yes"} {
		if strings.HasPrefix(w, l) {
			return true, true
		}
	}
	for _, w := range []string{"false", "no"} {
		if strings.HasPrefix(w, l) {
			return false, true
		}
	}
	return false, false
}

// opError is ksqlDB's message for comparing incompatible types.
func opError(pos parser.Pos, l *types.Type, op string, r *types.Type, rexpr parser.Expr) error {
	return errorAt(pos, "Invalid Predicate: operator does not exist: %s %s %s (%s)\nHint: You might need to add explicit type casts.", l, op, r, Format(rexpr))
}

func comparison(x *parser.Binary, l, r *Compiled) (*Compiled, error) {
	var err error
	if l, err = coerceConst(l, r.Type); err != nil {
		return nil, errorAt(x.Pos, "Invalid Predicate: %v", err)
	}
	if r, err = coerceConst(r, l.Type); err != nil {
		return nil, errorAt(x.Pos, "Invalid Predicate: %v", err)
	}
	if _, err := checkComparable(l.Type, r.Type); err != nil {
		return nil, opError(x.Pos, l.Type, x.Op.String(), r.Type, x.R)
	}
	if x.Op != parser.OpEq && x.Op != parser.OpNe {
		for _, t := range []*types.Type{l.Type, r.Type} {
			if !t.IsPrimitive() {
				return nil, errorAt(x.Pos, "Cannot compare %s (%s) to %s (%s) with %s.", Format(x.L), l.Type, Format(x.R), r.Type, opWords[x.Op])
			}
		}
	}
	// Temporal values compared with strings: parse the string side.
	if isTemporal(l.Type) && r.Type.Kind == types.KString {
		if r, err = castTo(r, l.Type, x.Pos); err != nil {
			return nil, err
		}
	} else if isTemporal(r.Type) && l.Type.Kind == types.KString {
		if l, err = castTo(l, r.Type, x.Pos); err != nil {
			return nil, err
		}
	} else if isTemporal(l.Type) && isTemporal(r.Type) && l.Type.Kind != r.Type.Kind {
		if l, err = castTo(l, types.TIMESTAMP, x.Pos); err != nil {
			return nil, err
		}
		if r, err = castTo(r, types.TIMESTAMP, x.Pos); err != nil {
			return nil, err
		}
	}
	op := x.Op
	// A DOUBLE compared with a DECIMAL literal compares as DOUBLE: convert it once.
	if l.Type.Kind == types.KDouble && r.Const && r.Type.Kind == types.KDecimal && r.Value != nil {
		r = constant(types.DOUBLE, types.ToFloat(r.Value))
	}
	if r.Type.Kind == types.KDouble && l.Const && l.Type.Kind == types.KDecimal && l.Value != nil {
		l = constant(types.DOUBLE, types.ToFloat(l.Value))
	}
	fast := comparator(l.Type, r.Type)
	return &Compiled{Type: types.BOOLEAN, Eval: func(row []any) (any, error) {
		a, b, err := evalPair(l, r, row)
		if err != nil {
			return nil, err
		}
		if a == nil || b == nil {
			return false, nil
		}
		var c int
		var ok bool
		switch {
		case fast != nil:
			c, ok = fast(a, b)
		case op == parser.OpEq:
			return types.Equal(a, b), nil
		case op == parser.OpNe:
			return !types.Equal(a, b), nil
		default:
			c, ok = types.Compare(a, b)
		}
		if !ok {
			return false, nil
		}
		switch op {
		case parser.OpEq:
			return c == 0, nil
		case parser.OpNe:
			return c != 0, nil
		case parser.OpLt:
			return c < 0, nil
		case parser.OpLe:
			return c <= 0, nil
		case parser.OpGt:
			return c > 0, nil
		}
		return c >= 0, nil
	}}, nil
}

// evalPair evaluates the two operands of a binary operator on row, left first.
func evalPair(l, r *Compiled, row []any) (a, b any, err error) {
	if a, err = l.Eval(row); err != nil {
		return nil, nil, err
	}
	if b, err = r.Eval(row); err != nil {
		return nil, nil, err
	}
	return a, b, nil
}

func concat(x *parser.Binary, l, r *Compiled) (*Compiled, error) {
	for _, a := range []*Compiled{l, r} {
		if a.Type.Kind != types.KString && a.Type.Kind != types.KNull {
			return nil, errorAt(x.Pos, "Operator || requires STRING operands, got %s and %s", l.Type.SQL(), r.Type.SQL())
		}
	}
	return &Compiled{Type: types.STRING, Eval: func(row []any) (any, error) {
		a, b, err := evalPair(l, r, row)
		if err != nil {
			return nil, err
		}
		if a == nil || b == nil {
			return nil, nil
		}
		return a.(string) + b.(string), nil
	}}, nil
}

// isNullLiteral says whether e is the literal NULL.
func isNullLiteral(e parser.Expr) bool {
	lit, ok := e.(*parser.Literal)
	return ok && lit.Kind == parser.LitNull
}

func arithmetic(x *parser.Binary, l, r *Compiled) (*Compiled, error) {
	if isNullLiteral(x.L) || isNullLiteral(x.R) {
		// A bare NULL has no type in ksqlDB (Java null), which arithmetic rejects.
		name := func(e parser.Expr, c *Compiled) string {
			if isNullLiteral(e) {
				return "null"
			}
			return c.Type.SQL()
		}
		return nil, errorAt(x.Pos, "Error processing expression: %s. Arithmetic on types %s and %s are not supported.", Format(x), name(x.L, l), name(x.R, r))
	}
	lt, rt := l.Type, r.Type
	if lt.Kind == types.KNull {
		lt = rt
	}
	if rt.Kind == types.KNull {
		rt = lt
	}
	if lt.Kind == types.KString && rt.Kind == types.KString && x.Op == parser.OpAdd {
		return concat(&parser.Binary{Pos: x.Pos, Op: parser.OpConcat, L: x.L, R: x.R}, l, r)
	}
	if lt.Kind == types.KNull {
		return constant(types.NULL, nil), nil
	}
	if !lt.IsNumeric() || !rt.IsNumeric() {
		return nil, errorAt(x.Pos, "Error processing expression: %s. Unsupported arithmetic types. %s %s", Format(x), l.Type.SQL(), r.Type.SQL())
	}
	k := max(lt.Kind, rt.Kind)
	op := x.Op
	var res *types.Type
	var f func(a, b any) (any, error)
	switch k {
	case types.KInt:
		res = types.INT
		f = func(a, b any) (any, error) { return intOp(op, int64(a.(int32)), int64(b.(int32)), true) }
	case types.KBigint:
		res = types.BIGINT
		f = func(a, b any) (any, error) { return intOp(op, toInt64(a), toInt64(b), false) }
	case types.KDouble:
		res = types.DOUBLE
		f = func(a, b any) (any, error) { return floatOp(op, types.ToFloat(a), types.ToFloat(b)), nil }
	default:
		d1, d2 := types.AsDecimal(lt), types.AsDecimal(rt)
		p1, s1, p2, s2 := d1.Precision, d1.Scale, d2.Precision, d2.Scale
		var p, s int
		switch op {
		case parser.OpAdd, parser.OpSub:
			s = max(s1, s2)
			p = s + max(p1-s1, p2-s2) + 1
		case parser.OpMul:
			p, s = p1+p2+1, s1+s2
		case parser.OpDiv:
			s = max(6, s1+p2+1)
			p = p1 - s1 + s2 + s
		case parser.OpMod:
			s = max(s1, s2)
			p = min(p1-s1, p2-s2) + s
		}
		if p > 38 {
			p = 38
		}
		if s > p {
			s = p
		}
		res = types.DecimalOf(p, s)
		f = func(a, b any) (any, error) {
			x, y := types.ToDecimal(a), types.ToDecimal(b)
			var out types.Decimal
			switch op {
			case parser.OpAdd:
				out = x.Add(y)
			case parser.OpSub:
				out = x.Sub(y)
			case parser.OpMul:
				out = x.Mul(y)
			case parser.OpDiv:
				if y.Sign() == 0 {
					return nil, fmt.Errorf("Division by zero")
				}
				return x.Quo(y, s), nil
			case parser.OpMod:
				if y.Sign() == 0 {
					return nil, fmt.Errorf("Division by zero")
				}
				out = x.Rem(y)
			}
			return out.Rescale(s), nil
		}
	}
	return &Compiled{Type: res, Eval: func(row []any) (any, error) {
		a, err := l.Eval(row)
		if a == nil || err != nil {
			return nil, err
		}
		b, err := r.Eval(row)
		if b == nil || err != nil {
			return nil, err
		}
		return f(a, b)
	}}, nil
}

func intOp(op parser.Op, a, b int64, is32 bool) (any, error) {
	var r int64
	switch op {
	case parser.OpAdd:
		r = a + b
	case parser.OpSub:
		r = a - b
	case parser.OpMul:
		r = a * b
	case parser.OpDiv:
		if b == 0 {
			return nil, fmt.Errorf("/ by zero")
		}
		if is32 {
			return int32(a) / int32(b), nil
		}
		r = a / b
	case parser.OpMod:
		if b == 0 {
			return nil, fmt.Errorf("/ by zero")
		}
		if is32 {
			return int32(a) % int32(b), nil
		}
		r = a % b
	}
	if is32 {
		return int32(r), nil
	}
	return r, nil
}

func floatOp(op parser.Op, a, b float64) float64 {
	switch op {
	case parser.OpAdd:
		return a + b
	case parser.OpSub:
		return a - b
	case parser.OpMul:
		return a * b
	case parser.OpDiv:
		return a / b
	}
	return math.Mod(a, b)
}

// commonType returns the type both a and b convert to implicitly (numeric widening,
// element-wise for containers), or false.
func commonType(a, b *types.Type) (*types.Type, bool) {
	switch {
	case a.Kind == types.KNull:
		return b, true
	case b.Kind == types.KNull:
		return a, true
	case a.Equal(b):
		return a, true
	case a.IsNumeric() && b.IsNumeric():
		k := max(a.Kind, b.Kind)
		if k != types.KDecimal {
			return &types.Type{Kind: k}, true
		}
		d1, d2 := types.AsDecimal(a), types.AsDecimal(b)
		s := max(d1.Scale, d2.Scale)
		p := s + max(d1.Precision-d1.Scale, d2.Precision-d2.Scale)
		return types.DecimalOf(p, s), true
	case a.Kind == types.KArray && b.Kind == types.KArray:
		e, ok := commonType(a.Elem, b.Elem)
		return types.ArrayOf(e), ok
	case a.Kind == types.KMap && b.Kind == types.KMap:
		k, ok1 := commonType(a.Key, b.Key)
		v, ok2 := commonType(a.Elem, b.Elem)
		return types.MapOf(k, v), ok1 && ok2
	case a.Kind == types.KStruct && b.Kind == types.KStruct && len(a.Fields) == len(b.Fields):
		fs := make([]types.Field, len(a.Fields))
		for i := range a.Fields {
			if !strings.EqualFold(a.Fields[i].Name, b.Fields[i].Name) {
				return nil, false
			}
			t, ok := commonType(a.Fields[i].Type, b.Fields[i].Type)
			if !ok {
				return nil, false
			}
			fs[i] = types.Field{Name: a.Fields[i].Name, Type: t}
		}
		return types.StructOf(fs...), true
	}
	return nil, false
}

// comparator returns a fast comparison for primitive operand types known at compile time
// (nil: use types.Compare / types.Equal).
func comparator(a, b *types.Type) func(x, y any) (int, bool) {
	isInt := func(t *types.Type) bool { return t.Kind == types.KInt || t.Kind == types.KBigint }
	switch {
	case isInt(a) && isInt(b):
		return func(x, y any) (int, bool) { return cmp.Compare(toInt64(x), toInt64(y)), true }
	case a.Kind == types.KDouble && b.Kind == types.KDouble:
		return func(x, y any) (int, bool) { return types.CompareDoubles(x.(float64), y.(float64)) }
	case a.IsNumeric() && b.IsNumeric() && (a.Kind == types.KDouble || b.Kind == types.KDouble):
		return func(x, y any) (int, bool) { return types.CompareDoubles(types.ToFloat(x), types.ToFloat(y)) }
	case a.Kind == types.KString && b.Kind == types.KString:
		return func(x, y any) (int, bool) { return strings.Compare(x.(string), y.(string)), true }
	}
	return nil
}
