package functions

import (
	"fmt"
	"strings"

	"github.com/ksqlgo/ksqlgo/sql/types"
)

// Overload is one signature of a scalar function, written in ksqlDB's type syntax.
//
// Parameter patterns: a type ("STRING", "INT", "BIGINT", "DOUBLE", "BOOLEAN", "BYTES",
// "DATE", "TIME", "TIMESTAMP"), "DECIMAL" (any precision and scale), "ARRAY<p>",
// "MAP<p, p>", "STRUCT" (any struct), "ANY" (any type) or a generic: any other single
// word (T, U, K, V, ...) binds to the argument's type; later uses of the same generic
// must agree. "LAMBDA" matches a lambda argument (Make compiles it). Variadic makes the
// last parameter repeat zero or more times.
type Overload struct {
	Params   []string
	Names    []string // parameter names for DESCRIBE FUNCTION; optional
	Variadic bool
	// Returns is the result type pattern (generics substituted), used when ReturnFn is nil.
	Returns string
	// ReturnFn computes the result type from the arguments and the bound generics.
	ReturnFn func(args []Arg, generics map[string]*types.Type) (*types.Type, error)
	// Impl evaluates the function; arguments arrive converted to the parameter types
	// (e.g. an INT argument for a BIGINT parameter arrives as int64). With NullOnNull,
	// Impl is not called when any argument is nil: the result is nil.
	Impl       Impl
	NullOnNull bool
	// Make builds the Impl per call site instead (e.g. to compile a constant regex, or
	// to compile lambdas); it gets the arguments and the result type.
	Make func(args []Arg, ret *types.Type) (Impl, error)
}

// Overloads returns a Bind function resolving calls of the named function over the
// given overloads with ksqlDB's rules: the first overload matching without widening, else
// the first matching with implicit widening (INT -> BIGINT -> DECIMAL -> DOUBLE).
func Overloads(name string, ovs ...Overload) func(args []Arg, cfg Config) (*types.Type, Impl, error) {
	parsed := make([][]*pattern, len(ovs))
	rets := make([]*pattern, len(ovs))
	for i, o := range ovs {
		for _, p := range o.Params {
			parsed[i] = append(parsed[i], mustPattern(p))
		}
		if o.ReturnFn == nil {
			rets[i] = mustPattern(o.Returns)
		}
	}
	return func(args []Arg, cfg Config) (*types.Type, Impl, error) {
		for _, widen := range []bool{false, true} {
			for i, o := range ovs {
				gen := map[string]*types.Type{}
				conv, ok := matchArgs(parsed[i], o.Variadic, args, gen, widen)
				if !ok {
					continue
				}
				var ret *types.Type
				var err error
				if o.ReturnFn != nil {
					ret, err = o.ReturnFn(args, gen)
				} else {
					ret, err = rets[i].resolve(gen)
				}
				if err != nil {
					return nil, nil, err
				}
				impl := o.Impl
				if o.Make != nil {
					if impl, err = o.Make(args, ret); err != nil {
						return nil, nil, err
					}
				}
				return ret, wrap(impl, conv, o.NullOnNull), nil
			}
		}
		return nil, nil, NoMatch(name, args, ovs)
	}
}

// NoMatch returns ksqlDB's error for a call no overload accepts.
func NoMatch(name string, args []Arg, ovs []Overload) error {
	ts := make([]string, len(args))
	for i, a := range args {
		switch {
		case a.Lambda != nil:
			ts[i] = "LAMBDA"
		case a.Type == nil || a.Type.Kind == types.KNull:
			ts[i] = "null"
		default:
			ts[i] = a.Type.SQL()
		}
	}
	msg := fmt.Sprintf("Function '%s' does not accept parameters (%s).", strings.ToLower(name), strings.Join(ts, ", "))
	if len(ovs) > 1 {
		var alts []string
		for _, o := range ovs {
			ps := make([]string, len(o.Params))
			for i, p := range o.Params {
				ps[i] = p
				if i < len(o.Names) {
					ps[i] += " " + o.Names[i]
				}
			}
			alts = append(alts, strings.ToLower(name)+"("+strings.Join(ps, ", ")+")")
		}
		msg += "\nValid alternatives are:\n" + strings.Join(alts, "\n")
	}
	return fmt.Errorf("%s", msg)
}

func wrap(impl Impl, conv []func(any) any, nullOnNull bool) Impl {
	needConv := false
	for _, c := range conv {
		if c != nil {
			needConv = true
		}
	}
	if !needConv && !nullOnNull {
		return impl
	}
	return func(args []any) (any, error) {
		if nullOnNull {
			for _, a := range args {
				if a == nil {
					return nil, nil
				}
			}
		}
		if needConv {
			cp := make([]any, len(args))
			copy(cp, args)
			for i, c := range conv {
				if c != nil && i < len(cp) && cp[i] != nil {
					cp[i] = c(cp[i])
				}
			}
			args = cp
		}
		return impl(args)
	}
}

func matchArgs(ps []*pattern, variadic bool, args []Arg, gen map[string]*types.Type, widen bool) ([]func(any) any, bool) {
	if variadic {
		if len(args) < len(ps)-1 {
			return nil, false
		}
	} else if len(args) != len(ps) {
		return nil, false
	}
	conv := make([]func(any) any, len(args))
	for i, a := range args {
		p := ps[min(i, len(ps)-1)]
		if a.Lambda != nil {
			if p.name != "LAMBDA" {
				return nil, false
			}
			continue
		}
		if p.name == "LAMBDA" {
			return nil, false
		}
		c, ok := p.match(a.Type, gen, widen)
		if !ok {
			return nil, false
		}
		conv[i] = c
	}
	return conv, true
}

// pattern is a parsed parameter/return type pattern.
type pattern struct {
	name string     // type keyword, "ANY", "STRUCT", "LAMBDA", or a generic's name
	args []*pattern // ARRAY<elem>, MAP<key, value>
	typ  *types.Type
}

var primitiveNames = map[string]*types.Type{
	"BOOLEAN": types.BOOLEAN, "INT": types.INT, "INTEGER": types.INT, "BIGINT": types.BIGINT,
	"DOUBLE": types.DOUBLE, "STRING": types.STRING, "VARCHAR": types.STRING, "BYTES": types.BYTES,
	"DATE": types.DATE, "TIME": types.TIME, "TIMESTAMP": types.TIMESTAMP,
}

func mustPattern(s string) *pattern {
	p, rest, err := parsePattern(strings.TrimSpace(s))
	if err != nil || strings.TrimSpace(rest) != "" {
		panic(fmt.Sprintf("functions: bad type pattern %q", s))
	}
	return p
}

func parsePattern(s string) (*pattern, string, error) {
	s = strings.TrimSpace(s)
	i := 0
	for i < len(s) && (s[i] >= 'A' && s[i] <= 'Z' || s[i] >= 'a' && s[i] <= 'z' || s[i] == '_' || s[i] >= '0' && s[i] <= '9') {
		i++
	}
	if i == 0 {
		return nil, s, fmt.Errorf("expected a type in %q", s)
	}
	p := &pattern{name: strings.ToUpper(s[:i])}
	s = strings.TrimSpace(s[i:])
	if t, ok := primitiveNames[p.name]; ok {
		p.typ = t
		return p, s, nil
	}
	if p.name == "ARRAY" || p.name == "MAP" {
		if !strings.HasPrefix(s, "<") {
			return nil, s, fmt.Errorf("expected '<'")
		}
		s = s[1:]
		for {
			a, rest, err := parsePattern(s)
			if err != nil {
				return nil, rest, err
			}
			p.args = append(p.args, a)
			rest = strings.TrimSpace(rest)
			if strings.HasPrefix(rest, ",") {
				s = rest[1:]
				continue
			}
			if !strings.HasPrefix(rest, ">") {
				return nil, rest, fmt.Errorf("expected '>'")
			}
			return p, rest[1:], nil
		}
	}
	return p, s, nil
}

func (p *pattern) isGeneric() bool {
	switch p.name {
	case "ANY", "STRUCT", "DECIMAL", "ARRAY", "MAP", "LAMBDA":
		return false
	}
	return p.typ == nil
}

// match checks an argument type against the pattern, binding generics; it returns a
// value converter when the argument must be widened.
func (p *pattern) match(t *types.Type, gen map[string]*types.Type, widen bool) (func(any) any, bool) {
	if t == nil || t.Kind == types.KNull {
		return nil, true
	}
	switch {
	case p.name == "ANY":
		return nil, true
	case p.name == "STRUCT":
		return nil, t.Kind == types.KStruct
	case p.name == "DECIMAL":
		if t.Kind == types.KDecimal {
			return nil, true
		}
		if widen && (t.Kind == types.KInt || t.Kind == types.KBigint) {
			return func(v any) any { return types.ToDecimal(v) }, true
		}
		return nil, false
	case p.name == "ARRAY":
		if t.Kind != types.KArray {
			return nil, false
		}
		_, ok := p.args[0].match(t.Elem, gen, false)
		return nil, ok
	case p.name == "MAP":
		if t.Kind != types.KMap {
			return nil, false
		}
		if _, ok := p.args[0].match(t.Key, gen, false); !ok {
			return nil, false
		}
		_, ok := p.args[1].match(t.Elem, gen, false)
		return nil, ok
	case p.typ != nil:
		if t.Kind == p.typ.Kind {
			return nil, true
		}
		if widen {
			if c := Widen(t, p.typ); c != nil {
				return c, true
			}
		}
		return nil, false
	}
	// generic
	if b, ok := gen[p.name]; ok {
		if b.Equal(t) || b.Kind == types.KDecimal && t.Kind == types.KDecimal {
			return nil, true
		}
		if widen {
			if c := Widen(t, b); c != nil {
				return c, true
			}
		}
		return nil, false
	}
	gen[p.name] = t
	return nil, true
}

// Widen returns the converter for ksqlDB's implicit widening of from into to (INT ->
// BIGINT -> DECIMAL -> DOUBLE), or nil when it is not allowed.
func Widen(from, to *types.Type) func(any) any {
	switch to.Kind {
	case types.KBigint:
		if from.Kind == types.KInt {
			return func(v any) any { return int64(v.(int32)) }
		}
	case types.KDecimal:
		if from.Kind == types.KInt || from.Kind == types.KBigint {
			return func(v any) any { return types.ToDecimal(v) }
		}
	case types.KDouble:
		if from.Kind == types.KInt || from.Kind == types.KBigint || from.Kind == types.KDecimal {
			return func(v any) any { return types.ToFloat(v) }
		}
	}
	return nil
}

func (p *pattern) resolve(gen map[string]*types.Type) (*types.Type, error) {
	switch {
	case p.typ != nil:
		return p.typ, nil
	case p.name == "ARRAY":
		e, err := p.args[0].resolve(gen)
		if err != nil {
			return nil, err
		}
		return types.ArrayOf(e), nil
	case p.name == "MAP":
		k, err := p.args[0].resolve(gen)
		if err != nil {
			return nil, err
		}
		v, err := p.args[1].resolve(gen)
		if err != nil {
			return nil, err
		}
		return types.MapOf(k, v), nil
	case p.isGeneric():
		if t, ok := gen[p.name]; ok {
			return t, nil
		}
		return nil, fmt.Errorf("cannot infer the type of %s: every argument is NULL", p.name)
	}
	return nil, fmt.Errorf("return type %s needs a ReturnFn", p.name)
}
