package functions

import (
	"fmt"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/ksqlgo/ksqlgo/sql/types"
)

// This file holds what the built-in aggregate functions (agg_*.go) share: overload
// resolution, constant-argument checks, config limits and the sequence numbers of the
// *_BY_OFFSET functions.

// aggOverload is one signature of an aggregate function. Params are overload.go patterns
// ("INT", "DECIMAL", "ARRAY<T>", "T", ...). Make builds the aggregate for a call that
// matched; ts are the effective parameter types (after implicit widening, generics bound),
// one per argument.
type aggOverload struct {
	Params []string
	Names  []string
	Make   func(name string, args []Arg, ts []*types.Type, cfg Config) (*AggregateImpl, error)
}

// aggOverloads returns an Aggregate.Bind resolving a call over ovs with ksqlDB's rules
// (first exact match, else first match with implicit widening INT -> BIGINT -> DECIMAL ->
// DOUBLE), wrapping Add and Undo so that they get widened argument values.
func aggOverloads(name string, ovs ...aggOverload) func(args []Arg, cfg Config) (*AggregateImpl, error) {
	parsed := make([][]*pattern, len(ovs))
	alts := make([]Overload, len(ovs))
	for i, o := range ovs {
		for _, p := range o.Params {
			parsed[i] = append(parsed[i], mustPattern(p))
		}
		alts[i] = Overload{Params: o.Params, Names: o.Names}
	}
	return func(args []Arg, cfg Config) (*AggregateImpl, error) {
		for _, widen := range []bool{false, true} {
			for i, o := range ovs {
				gen := map[string]*types.Type{}
				conv, ok := matchArgs(parsed[i], false, args, gen, widen)
				if !ok {
					continue
				}
				ts := aggEffectiveTypes(parsed[i], args, conv, gen)
				for j, t := range ts {
					if parsed[i][j].name != "ANY" && (t == nil || t.Kind == types.KNull) {
						return nil, fmt.Errorf("Function '%s' cannot infer the type of its parameter %d (%s) from a NULL argument",
							strings.ToLower(name), j+1, o.Params[j])
					}
				}
				impl, err := o.Make(name, args, ts, cfg)
				if err != nil {
					return nil, err
				}
				from := make([]*types.Type, len(args))
				for j, a := range args {
					from[j] = a.Type
				}
				return aggWrapConv(impl, conv, from), nil
			}
		}
		return nil, NoMatch(name, args, alts)
	}
}

// aggEffectiveTypes returns the type each argument has once matched to the patterns.
func aggEffectiveTypes(ps []*pattern, args []Arg, conv []func(any) any, gen map[string]*types.Type) []*types.Type {
	ts := make([]*types.Type, len(args))
	for i, a := range args {
		p := ps[min(i, len(ps)-1)]
		t := a.Type
		switch {
		case p.typ != nil:
			t = p.typ
		case p.isGeneric():
			if g, ok := gen[p.name]; ok {
				t = g
			}
		case p.name == "DECIMAL" && conv[i] != nil:
			t = types.AsDecimal(t)
		}
		ts[i] = t
	}
	return ts
}

// aggWrapConv makes Add and Undo convert widened arguments first. from holds the
// arguments' own types: a value not of its type's Go type is left as it is (the function
// then reports it) rather than handed to a converter that expects it.
func aggWrapConv(impl *AggregateImpl, conv []func(any) any, from []*types.Type) *AggregateImpl {
	need := false
	for _, c := range conv {
		if c != nil {
			need = true
		}
	}
	if !need {
		return impl
	}
	convert := func(args []any) []any {
		cp := make([]any, len(args))
		copy(cp, args)
		for i, c := range conv {
			if c != nil && i < len(cp) && cp[i] != nil && i < len(from) && aggIsGoValueOf(cp[i], from[i]) {
				cp[i] = c(cp[i])
			}
		}
		return cp
	}
	out := *impl
	add := impl.Add
	out.Add = func(state any, args []any) (any, error) { return add(state, convert(args)) }
	if undo := impl.Undo; undo != nil {
		out.Undo = func(state any, args []any) (any, error) { return undo(state, convert(args)) }
	}
	return &out
}

// aggIsGoValueOf says whether v has the Go type of numeric SQL type t (the types that
// implicit widening converts).
func aggIsGoValueOf(v any, t *types.Type) bool {
	if t == nil {
		return false
	}
	switch v.(type) {
	case int32:
		return t.Kind == types.KInt
	case int64:
		return t.Kind == types.KBigint
	case types.Decimal:
		return t.Kind == types.KDecimal
	}
	return false
}

// aggArg returns args[i], or nil when the row has fewer values (never panics).
func aggArg(args []any, i int) any {
	if i < len(args) {
		return args[i]
	}
	return nil
}

// aggNotLiteral is ksqlDB's error for a non-literal initialisation argument.
func aggNotLiteral(name string, i int) error {
	return fmt.Errorf("Parameter %d passed to function %s must be a literal constant", i+1, strings.ToUpper(name))
}

// aggConstInt returns the value of the constant integer argument i.
func aggConstInt(name string, args []Arg, i int) (int, error) {
	a := args[i]
	if !a.Const {
		return 0, aggNotLiteral(name, i)
	}
	switch v := a.Value.(type) {
	case int32:
		return int(v), nil
	case int64:
		if v > 1<<31-1 || v < -1<<31 {
			return 0, fmt.Errorf("Parameter %d passed to function %s is out of range: %d", i+1, strings.ToUpper(name), v)
		}
		return int(v), nil
	}
	return 0, fmt.Errorf("Parameter %d passed to function %s must be a non-null INTEGER literal", i+1, strings.ToUpper(name))
}

// aggConstBool returns the value of the constant boolean argument i.
func aggConstBool(name string, args []Arg, i int) (bool, error) {
	a := args[i]
	if !a.Const {
		return false, aggNotLiteral(name, i)
	}
	if v, ok := a.Value.(bool); ok {
		return v, nil
	}
	return false, fmt.Errorf("Parameter %d passed to function %s must be a non-null BOOLEAN literal", i+1, strings.ToUpper(name))
}

// aggLimit reads an element limit such as "ksql.functions.collect_list.limit" (default
// def; a negative value means no limit, as in ksqlDB).
func aggLimit(cfg Config, key string, def int) (int, error) {
	s, ok := cfg[key]
	if !ok || strings.TrimSpace(s) == "" {
		return def, nil
	}
	n, err := strconv.ParseInt(strings.TrimSpace(s), 10, 32)
	if err != nil {
		return 0, fmt.Errorf("invalid value %q for %s: not an integer", s, key)
	}
	if n < 0 {
		return 1<<31 - 1, nil
	}
	return int(n), nil
}

// aggSeq numbers the values kept by EARLIEST_BY_OFFSET and LATEST_BY_OFFSET in the order
// they were added, so that merged session states keep offset order. It starts at the
// process start time in nanoseconds so that numbers keep growing across restarts (the
// states are persisted).
var aggSeq atomic.Int64

func init() { aggSeq.Store(time.Now().UnixNano()) }

func aggNextSeq() int64 { return aggSeq.Add(1) }

// aggCopy returns a copy of s with extra capacity for n more elements.
func aggCopy(s []any, n int) []any {
	out := make([]any, len(s), len(s)+n)
	copy(out, s)
	return out
}

// aggList returns state as a []any (nil state -> empty).
func aggList(state any) []any {
	l, _ := state.([]any)
	return l
}

// aggListMerge returns the Merge of a list-state aggregate: it adds b's elements to a's list
// one by one with add, and gives an empty list rather than nil.
func aggListMerge(add func(l []any, v any) []any) func(a, b any) (any, error) {
	return func(a, b any) (any, error) {
		l := aggList(a)
		for _, v := range aggList(b) {
			l = add(l, v)
		}
		if l == nil {
			l = []any{}
		}
		return l, nil
	}
}

// aggListResult is the Result of a list-state aggregate: the list, empty for a nil state.
func aggListResult(state any) (any, error) {
	if state == nil {
		return []any{}, nil
	}
	return state, nil
}

// aggBadState is the error for a state of the wrong Go type (a corrupt store).
func aggBadState(name string, state any) error {
	return fmt.Errorf("%s: unexpected aggregate state %T", strings.ToUpper(name), state)
}
