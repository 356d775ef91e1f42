package expr

import (
	"errors"
	"math"
	"strings"

	"github.com/ksqlgo/ksqlgo/sql/parser"
	"github.com/ksqlgo/ksqlgo/sql/types"
)

// Lists of user expressions (the elements of ARRAY[...], the keys and the values of
// MAP(...), the operands of IN) are converted to one common type as ksqlDB's
// CoercionUtil.coerceUserList does: the first typed element gives the initial type, each
// element in turn widens it (numbers to the wider number, structs to the union of their
// fields), literals adapt (a STRING literal becomes the number or boolean it spells, any
// literal becomes a STRING when the type is STRING), and the elements of constructors
// (ARRAY[...], MAP(...), STRUCT(...)) are coerced one by one.

// errMismatch marks an element whose type cannot join the common type; coerceList turns
// it into ksqlDB's "operator does not exist" error about the top-level element.
var errMismatch = errors.New("type mismatch")

// coerceList converts compiled expressions (es[i] compiled as cs[i]) to their common type.
// The type is nil when every element is an untyped NULL.
func coerceList(es []parser.Expr, cs []*Compiled) ([]*Compiled, *types.Type, error) {
	var target *types.Type
	for _, c := range cs {
		if c.Type.Kind != types.KNull {
			target = c.Type
			break
		}
	}
	if target == nil {
		return cs, nil, nil
	}
	for i, e := range es {
		t, err := resolveCommon(e, cs[i], target)
		if errors.Is(err, errMismatch) {
			return nil, nil, mismatchError(e.Position(), target, cs[i].Type, e)
		}
		if err != nil {
			return nil, nil, err
		}
		target = t
	}
	out := make([]*Compiled, len(cs))
	for i, e := range es {
		c, err := coerceTo(e, cs[i], target)
		if err != nil {
			return nil, nil, err
		}
		out[i] = c
	}
	return out, target, nil
}

// mismatchError is ksqlDB's message for an element that does not fit the common type.
func mismatchError(pos parser.Pos, target, src *types.Type, e parser.Expr) error {
	return errorAt(pos, "operator does not exist: %s = %s (%s)\nHint: You might need to add explicit type casts.", target, src, Format(e))
}

// resolveCommon returns the common type of target and element e (compiled as c).
func resolveCommon(e parser.Expr, c *Compiled, target *types.Type) (*types.Type, error) {
	src := c.Type
	if src.Kind == types.KNull {
		return target, nil
	}
	lit, isLit := e.(*parser.Literal)
	switch {
	case target.Kind == types.KString:
		if isLit || src.Kind == types.KString {
			return target, nil
		}
		return nil, errMismatch
	case isLit && lit.Kind == parser.LitString:
		return resolveString(lit, target)
	case target.IsNumeric() && src.IsNumeric():
		t, _ := commonType(target, src)
		return t, nil
	case target.Kind == types.KArray && c.parts != nil:
		if ae, ok := e.(*parser.ArrayExpr); ok {
			et := target.Elem
			for i, el := range ae.Elems {
				t, err := resolveCommon(el, c.parts[i], et)
				if err != nil {
					return nil, err
				}
				et = t
			}
			return types.ArrayOf(et), nil
		}
	case target.Kind == types.KMap && c.parts != nil:
		if me, ok := e.(*parser.MapExpr); ok {
			kt, vt := target.Key, target.Elem
			for i, en := range me.Entries {
				t, err := resolveCommon(en.Key, c.parts[2*i], kt)
				if err != nil {
					return nil, err
				}
				kt = t
				if t, err = resolveCommon(en.Value, c.parts[2*i+1], vt); err != nil {
					return nil, err
				}
				vt = t
			}
			return types.MapOf(kt, vt), nil
		}
	case target.Kind == types.KStruct && c.parts != nil:
		if se, ok := e.(*parser.StructExpr); ok {
			fields := append([]types.Field(nil), target.Fields...)
			for i, f := range se.Fields {
				j := target.FieldIndex(f.Name.Name)
				if j < 0 {
					fields = append(fields, types.Field{Name: f.Name.Name, Type: nonNull(c.parts[i].Type)})
					continue
				}
				t, err := resolveCommon(f.Value, c.parts[i], fields[j].Type)
				if err != nil {
					return nil, err
				}
				fields[j].Type = t
			}
			return types.StructOf(fields...), nil
		}
	}
	if t, ok := implicitCommon(target, src); ok {
		return t, nil
	}
	return nil, errMismatch
}

// nonNull is the type a struct field of an untyped NULL value gets.
func nonNull(t *types.Type) *types.Type {
	if t.Kind == types.KNull {
		return types.STRING
	}
	return t
}

// implicitCommon is the common type of two non-literal types: equal types, numbers
// widened, containers element by element, structs by field name (the union of fields).
func implicitCommon(a, b *types.Type) (*types.Type, bool) {
	switch {
	case a.Kind == types.KNull:
		return b, true
	case b.Kind == types.KNull, a.Equal(b):
		return a, true
	case a.IsNumeric() && b.IsNumeric():
		return commonType(a, b)
	case a.Kind == types.KArray && b.Kind == types.KArray:
		e, ok := implicitCommon(a.Elem, b.Elem)
		return types.ArrayOf(e), ok
	case a.Kind == types.KMap && b.Kind == types.KMap:
		k, ok1 := implicitCommon(a.Key, b.Key)
		v, ok2 := implicitCommon(a.Elem, b.Elem)
		return types.MapOf(k, v), ok1 && ok2
	case a.Kind == types.KStruct && b.Kind == types.KStruct:
		fields := append([]types.Field(nil), a.Fields...)
		for _, f := range b.Fields {
			j := a.FieldIndex(f.Name)
			if j < 0 {
				fields = append(fields, f)
				continue
			}
			t, ok := implicitCommon(fields[j].Type, f.Type)
			if !ok {
				return nil, false
			}
			fields[j].Type = t
		}
		return types.StructOf(fields...), true
	}
	return nil, false
}

// resolveString is the common type of target and a STRING literal: the number it spells
// (INT, BIGINT or DECIMAL) widened with a numeric target, a boolean or temporal target
// when it parses as one.
func resolveString(lit *parser.Literal, target *types.Type) (*types.Type, error) {
	text := lit.Text
	bad := errorAt(lit.Pos, "invalid input syntax for type %s: \"%s\".", baseName(target), text)
	switch {
	case target.IsNumeric():
		t, ok := stringNumberType(text)
		if !ok {
			return nil, bad
		}
		ct, _ := commonType(target, t)
		return ct, nil
	case target.Kind == types.KBoolean:
		if _, ok := ParseBoolean(text); !ok {
			return nil, bad
		}
		return target, nil
	case isTemporal(target):
		conv, err := Converter(types.STRING, target)
		if err != nil {
			return nil, errMismatch
		}
		if _, err := conv(text); err != nil {
			return nil, bad
		}
		return target, nil
	}
	return nil, errMismatch
}

// baseName is a type's name without parameters (DECIMAL for any DECIMAL(p, s)).
func baseName(t *types.Type) string {
	if t.Kind == types.KDecimal {
		return "DECIMAL"
	}
	return t.String()
}

// stringNumberType is the type of the number a string spells: INT or BIGINT when it is
// written as an integer that fits, DECIMAL otherwise (also "2e1" or "20.": ksqlDB reads
// an exponent or a point as a decimal).
func stringNumberType(text string) (*types.Type, bool) {
	text = strings.TrimSpace(text)
	d, err := types.ParseDecimal(text)
	if err != nil {
		return nil, false
	}
	if d.Scale < 0 {
		d = d.Rescale(0)
	}
	if d.Scale <= 0 && !strings.ContainsAny(text, ".eE") {
		d = d.Rescale(0)
		if n, ok := d.Int64(); ok {
			if n >= math.MinInt32 && n <= math.MaxInt32 {
				return types.INT, true
			}
			return types.BIGINT, true
		}
	}
	p := max(d.Precision(), d.Scale, 1)
	if p > 38 {
		return nil, false
	}
	return types.DecimalOf(p, d.Scale), true
}

// coerceTo converts element e (compiled as c) to the common type t.
func coerceTo(e parser.Expr, c *Compiled, t *types.Type) (*Compiled, error) {
	if c.Type.Equal(t) {
		return c, nil
	}
	if lit, ok := e.(*parser.Literal); ok && lit.Kind != parser.LitNull {
		switch {
		case t.Kind == types.KString:
			return constant(t, literalText(lit, c)), nil
		case lit.Kind == parser.LitString:
			return coerceConst(c, t)
		}
	}
	if c.parts != nil {
		switch x := e.(type) {
		case *parser.ArrayExpr:
			if t.Kind == types.KArray {
				elems := make([]*Compiled, len(x.Elems))
				for i, el := range x.Elems {
					ce, err := coerceTo(el, c.parts[i], t.Elem)
					if err != nil {
						return nil, err
					}
					elems[i] = ce
				}
				return arrayOf(t, elems), nil
			}
		case *parser.MapExpr:
			if t.Kind == types.KMap {
				keys := make([]*Compiled, len(x.Entries))
				vals := make([]*Compiled, len(x.Entries))
				for i, en := range x.Entries {
					k, err := coerceTo(en.Key, c.parts[2*i], t.Key)
					if err != nil {
						return nil, err
					}
					v, err := coerceTo(en.Value, c.parts[2*i+1], t.Elem)
					if err != nil {
						return nil, err
					}
					keys[i], vals[i] = k, v
				}
				return mapOf(t, keys, vals), nil
			}
		case *parser.StructExpr:
			if t.Kind == types.KStruct {
				vals := make([]*Compiled, len(t.Fields))
				for i, f := range x.Fields {
					j := t.FieldIndex(f.Name.Name)
					v, err := coerceTo(f.Value, c.parts[i], t.Fields[j].Type)
					if err != nil {
						return nil, err
					}
					vals[j] = v
				}
				return structOf(t, vals), nil
			}
		}
	}
	return castTo(c, t, e.Position())
}

// literalText is a literal as a STRING: its text as written (booleans in lower case).
func literalText(lit *parser.Literal, c *Compiled) string {
	switch lit.Kind {
	case parser.LitBool:
		return strings.ToLower(lit.Text)
	case parser.LitDouble:
		return ToText(c.Value)
	}
	return lit.Text
}
