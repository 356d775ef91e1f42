package functions

import (
	"fmt"

	"github.com/ksqlgo/ksqlgo/sql/types"
)

// ksqlDB's lambda functions: TRANSFORM, FILTER and REDUCE over arrays and maps. Maps are
// visited in ascending key order (Go maps have no order of their own).

// lambdaSigs are the signatures shown by DESCRIBE FUNCTION and in "does not accept"
// errors.
var (
	lambdaTransformSigs = []Overload{
		{Params: []string{"ARRAY<T>", "LAMBDA (T) => R"}, Names: []string{"array", "function"}},
		{Params: []string{"MAP<K, V>", "LAMBDA (K, V) => K2", "LAMBDA (K, V) => V2"}, Names: []string{"map", "keyFunction", "valueFunction"}},
	}
	lambdaFilterSigs = []Overload{
		{Params: []string{"ARRAY<T>", "LAMBDA (T) => BOOLEAN"}, Names: []string{"array", "function"}},
		{Params: []string{"MAP<K, V>", "LAMBDA (K, V) => BOOLEAN"}, Names: []string{"map", "function"}},
	}
	lambdaReduceSigs = []Overload{
		{Params: []string{"ARRAY<T>", "S", "LAMBDA (S, T) => S"}, Names: []string{"array", "initialState", "function"}},
		{Params: []string{"MAP<K, V>", "S", "LAMBDA (S, K, V) => S"}, Names: []string{"map", "initialState", "function"}},
	}
)

func init() {
	for _, f := range []struct {
		name, desc string
		sigs       []Overload
		bind       func(args []Arg, cfg Config) (*types.Type, Impl, error)
	}{
		{"TRANSFORM", "Apply a function to each element in an array, or to each key and value of a map (one function for the keys, one for the values). The transformed array or map is returned.", lambdaTransformSigs, lambdaTransform},
		{"FILTER", "Filter the elements of an array, or the entries of a map, with a lambda function; the entries for which it returns true are kept.", lambdaFilterSigs, lambdaFilter},
		{"REDUCE", "Reduce an array or a map to a single value: the lambda function combines the state (starting with the initial state) with each element or each key and value in turn. Returns NULL when the initial state is NULL, the initial state when the collection is NULL.", lambdaReduceSigs, lambdaReduce},
	} {
		builtinScalars = append(builtinScalars, &Scalar{
			Name: f.name, Description: f.desc, Category: lambdaCategory,
			Signatures: mathSignatures(f.name, f.sigs), Bind: f.bind,
		})
	}
}

// lambdaShape says whether args are a collection followed by n lambdas (after skip
// plain arguments), and whether that collection is an array or a map.
func lambdaShape(args []Arg, skip, n int) (isArray, isMap bool) {
	if len(args) != 1+skip+n || args[0].Lambda != nil || args[0].Type == nil {
		return false, false
	}
	for _, a := range args[1 : 1+skip] {
		if a.Lambda != nil {
			return false, false
		}
	}
	for _, a := range args[1+skip:] {
		if a.Lambda == nil {
			return false, false
		}
	}
	return args[0].Type.Kind == types.KArray, args[0].Type.Kind == types.KMap
}

// lambdaCompile binds a lambda for the given parameter types.
func lambdaCompile(l *Lambda, params ...*types.Type) (*types.Type, LambdaFunc, error) {
	if l.Params != len(params) {
		return nil, nil, fmt.Errorf("Was expecting %d arguments but found %d. Check your lambda statement.", len(params), l.Params)
	}
	if l.Bind == nil {
		return nil, nil, fmt.Errorf("lambda has no body")
	}
	ret, fn, err := l.Bind(params)
	if err != nil {
		return nil, nil, err
	}
	if ret == nil {
		ret = types.NULL
	}
	return ret, fn, nil
}

func lambdaMap(v any) map[any]any { m, _ := v.(map[any]any); return m }

func lambdaTransform(args []Arg, _ Config) (*types.Type, Impl, error) {
	isArray, _ := lambdaShape(args, 0, 1)
	_, isMap := lambdaShape(args, 0, 2)
	switch {
	case isArray:
		ret, fn, err := lambdaCompile(args[1].Lambda, args[0].Type.Elem)
		if err != nil {
			return nil, nil, err
		}
		return types.ArrayOf(ret), func(a []any) (any, error) {
			if a[0] == nil {
				return nil, nil
			}
			in, _ := a[0].([]any)
			out := make([]any, len(in))
			for i, e := range in {
				v, err := fn(a[1], []any{e})
				if err != nil {
					return nil, err
				}
				out[i] = v
			}
			return out, nil
		}, nil
	case isMap:
		k, v := args[0].Type.Key, args[0].Type.Elem
		kret, kfn, err := lambdaCompile(args[1].Lambda, k, v)
		if err != nil {
			return nil, nil, err
		}
		vret, vfn, err := lambdaCompile(args[2].Lambda, k, v)
		if err != nil {
			return nil, nil, err
		}
		return types.MapOf(kret, vret), func(a []any) (any, error) {
			if a[0] == nil {
				return nil, nil
			}
			m := lambdaMap(a[0])
			out := make(map[any]any, len(m))
			for _, key := range collSortedKeys(m) {
				kv := []any{key, m[key]}
				nk, err := kfn(a[1], kv)
				if err != nil {
					return nil, err
				}
				nv, err := vfn(a[2], kv)
				if err != nil {
					return nil, err
				}
				if !lambdaKeyOK(nk) {
					return nil, fmt.Errorf("transform: a value of type %s cannot be a map key", collTypeName(nk))
				}
				if old, dup := out[nk]; dup {
					return nil, fmt.Errorf("Duplicate key %v (attempted merging values %v and %v)", nk, old, nv)
				}
				out[nk] = nv
			}
			return out, nil
		}, nil
	}
	return nil, nil, NoMatch("TRANSFORM", args, lambdaTransformSigs)
}

// lambdaKeyOK says whether v can be a MAP key (a primitive value other than DECIMAL and
// BYTES, or NULL).
func lambdaKeyOK(v any) bool {
	switch v.(type) {
	case nil, bool, int32, int64, float64, string, types.Date, types.Time, types.Timestamp:
		return true
	}
	return false
}

// lambdaTrue is a predicate result: true only for TRUE (NULL filters out).
func lambdaTrue(v any) bool { b, _ := v.(bool); return b }

func lambdaIsBoolean(t *types.Type) bool { return t.Kind == types.KBoolean || t.Kind == types.KNull }

func lambdaFilter(args []Arg, _ Config) (*types.Type, Impl, error) {
	isArray, isMap := lambdaShape(args, 0, 1)
	switch {
	case isArray:
		ret, fn, err := lambdaCompile(args[1].Lambda, args[0].Type.Elem)
		if err != nil {
			return nil, nil, err
		}
		if !lambdaIsBoolean(ret) {
			return nil, nil, fmt.Errorf("Function 'filter' expects a lambda returning BOOLEAN, got %s", ret.SQL())
		}
		return args[0].Type, func(a []any) (any, error) {
			if a[0] == nil {
				return nil, nil
			}
			in, _ := a[0].([]any)
			out := []any{}
			for _, e := range in {
				keep, err := fn(a[1], []any{e})
				if err != nil {
					return nil, err
				}
				if lambdaTrue(keep) {
					out = append(out, e)
				}
			}
			return out, nil
		}, nil
	case isMap:
		ret, fn, err := lambdaCompile(args[1].Lambda, args[0].Type.Key, args[0].Type.Elem)
		if err != nil {
			return nil, nil, err
		}
		if !lambdaIsBoolean(ret) {
			return nil, nil, fmt.Errorf("Function 'filter' expects a lambda returning BOOLEAN, got %s", ret.SQL())
		}
		return args[0].Type, func(a []any) (any, error) {
			if a[0] == nil {
				return nil, nil
			}
			m := lambdaMap(a[0])
			out := map[any]any{}
			for _, k := range collSortedKeys(m) {
				keep, err := fn(a[1], []any{k, m[k]})
				if err != nil {
					return nil, err
				}
				if lambdaTrue(keep) {
					out[k] = m[k]
				}
			}
			return out, nil
		}, nil
	}
	return nil, nil, NoMatch("FILTER", args, lambdaFilterSigs)
}

func lambdaReduce(args []Arg, _ Config) (*types.Type, Impl, error) {
	isArray, isMap := lambdaShape(args, 1, 1)
	if !isArray && !isMap {
		return nil, nil, NoMatch("REDUCE", args, lambdaReduceSigs)
	}
	state := args[1].Type
	if state == nil {
		state = types.NULL
	}
	elems := []*types.Type{args[0].Type.Elem}
	if isMap {
		elems = []*types.Type{args[0].Type.Key, args[0].Type.Elem}
	}
	bind := func(s *types.Type) (*types.Type, LambdaFunc, error) {
		return lambdaCompile(args[2].Lambda, append([]*types.Type{s}, elems...)...)
	}
	ret, fn, err := bind(state)
	if err != nil {
		return nil, nil, err
	}
	// The state's type is the initial state's; a lambda result of a wider type (an INT
	// state summing BIGINTs) makes the state that type, a narrower one widens back.
	var initConv, stepConv func(any) any
	switch {
	case state.Kind == types.KNull || ret.Kind == types.KNull || ret.Equal(state):
		if state.Kind != types.KNull {
			ret = state
		}
	case state.Kind == types.KDecimal && ret.Kind == types.KDecimal:
	case Widen(state, ret) != nil:
		ret2, fn2, err := bind(ret)
		if err != nil {
			return nil, nil, err
		}
		if !ret2.Equal(ret) {
			return nil, nil, lambdaReduceMismatch(args, state, ret)
		}
		fn, initConv = fn2, Widen(state, ret)
	case Widen(ret, state) != nil:
		stepConv = Widen(ret, state)
		ret = state
	default:
		return nil, nil, lambdaReduceMismatch(args, state, ret)
	}
	return ret, func(a []any) (any, error) {
		s := a[1]
		if s == nil {
			return nil, nil
		}
		if initConv != nil {
			s = initConv(s)
		}
		if a[0] == nil {
			return s, nil
		}
		step := func(vals ...any) error {
			v, err := fn(a[2], append([]any{s}, vals...))
			if err != nil {
				return err
			}
			if stepConv != nil && v != nil {
				v = stepConv(v)
			}
			s = v
			return nil
		}
		if isArray {
			in, _ := a[0].([]any)
			for _, e := range in {
				if err := step(e); err != nil {
					return nil, err
				}
			}
			return s, nil
		}
		m := lambdaMap(a[0])
		for _, k := range collSortedKeys(m) {
			if err := step(k, m[k]); err != nil {
				return nil, err
			}
		}
		return s, nil
	}, nil
}

func lambdaReduceMismatch(args []Arg, state, ret *types.Type) error {
	return fmt.Errorf("%w\nThe lambda returns %s but the initial state is %s.", NoMatch("REDUCE", args, nil), ret.SQL(), state.SQL())
}
