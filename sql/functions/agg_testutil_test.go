package functions

import (
	"encoding/hex"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/ksqlgo/ksqlgo/sql/types"
)

// Helpers for the aggregate and table function tests.

// aggCol is a column argument of type t.
func aggCol(t *types.Type) Arg { return Arg{Type: t} }

// aggLit is a constant argument.
func aggLit(t *types.Type, v any) Arg { return Arg{Type: t, Const: true, Value: v} }

func aggDec(s string) types.Decimal {
	d, err := types.ParseDecimal(s)
	if err != nil {
		panic(err)
	}
	return d
}

// aggNoCheck as an aggStep's want skips the check of the result.
type aggNoCheck struct{}

// aggStep is one Add (or Undo) of a row's argument values and the Result expected after
// it; wantErr, when set, is a substring of the error expected instead.
type aggStep struct {
	undo    bool
	args    []any
	want    any
	wantErr string
}

func aggAdd(want any, args ...any) aggStep  { return aggStep{args: args, want: want} }
func aggUndo(want any, args ...any) aggStep { return aggStep{undo: true, args: args, want: want} }

// aggBind binds the built-in aggregate name, failing the test on error.
func aggBind(t *testing.T, name string, args []Arg, cfg Config) *AggregateImpl {
	t.Helper()
	a := Builtins().Aggregate(name)
	if a == nil {
		t.Fatalf("no aggregate %s", name)
	}
	impl, err := a.Bind(args, cfg)
	if err != nil {
		t.Fatalf("bind %s: %v", name, err)
	}
	return impl
}

// aggBindErr binds and returns the error (nil when the bind succeeded).
func aggBindErr(name string, args []Arg, cfg Config) error {
	a := Builtins().Aggregate(name)
	if a == nil {
		return fmt.Errorf("no aggregate %s", name)
	}
	_, err := a.Bind(args, cfg)
	return err
}

// aggRun runs steps from Init, checking each result, and checks that no earlier state
// was modified along the way. It returns the final state.
func aggRun(t *testing.T, impl *AggregateImpl, steps []aggStep) any {
	t.Helper()
	state := impl.Init()
	var seen []any
	var seenFmt []string
	keep := func(s any) {
		seen = append(seen, s)
		seenFmt = append(seenFmt, aggFmt(s))
	}
	keep(state)
	for i, s := range steps {
		f := impl.Add
		if s.undo {
			f = impl.Undo
			if f == nil {
				t.Fatalf("step %d: no Undo", i)
			}
		}
		next, err := f(state, s.args)
		if s.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), s.wantErr) {
				t.Fatalf("step %d %v: error %v, want %q", i, aggFmt(s.args), err, s.wantErr)
			}
			continue
		}
		if err != nil {
			t.Fatalf("step %d %v: %v", i, aggFmt(s.args), err)
		}
		state = next
		keep(state)
		if _, skip := s.want.(aggNoCheck); !skip {
			got, err := impl.Result(state)
			if err != nil {
				t.Fatalf("step %d: result: %v", i, err)
			}
			if aggFmt(got) != aggFmt(s.want) {
				t.Fatalf("step %d %v: got %s, want %s", i, aggFmt(s.args), aggFmt(got), aggFmt(s.want))
			}
		}
	}
	for i, s := range seen {
		if aggFmt(s) != seenFmt[i] {
			t.Fatalf("state %d was modified in place: %s, was %s", i, aggFmt(s), seenFmt[i])
		}
	}
	return state
}

// aggResult is impl.Result(state), failing the test on error.
func aggResult(t *testing.T, impl *AggregateImpl, state any) any {
	t.Helper()
	v, err := impl.Result(state)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// aggFold adds every row to a fresh state and returns the state.
func aggFold(t *testing.T, impl *AggregateImpl, rows ...[]any) any {
	t.Helper()
	s := impl.Init()
	for _, r := range rows {
		var err error
		if s, err = impl.Add(s, r); err != nil {
			t.Fatal(err)
		}
	}
	return s
}

// aggFmt renders a value with its Go type, for exact comparisons (decimal scale and
// INT/BIGINT/DOUBLE distinguished).
func aggFmt(v any) string {
	switch x := v.(type) {
	case nil:
		return "null"
	case bool:
		return strconv.FormatBool(x)
	case int32:
		return "i" + strconv.Itoa(int(x))
	case int64:
		return "l" + strconv.FormatInt(x, 10)
	case float64:
		return "d" + types.FormatDouble(x)
	case types.Decimal:
		return "m" + x.String()
	case string:
		return strconv.Quote(x)
	case []byte:
		return "b" + hex.EncodeToString(x)
	case types.Date:
		return "date" + strconv.Itoa(int(x))
	case types.Time:
		return "time" + strconv.Itoa(int(x))
	case types.Timestamp:
		return "ts" + strconv.FormatInt(int64(x), 10)
	case []any:
		parts := make([]string, len(x))
		for i, e := range x {
			parts[i] = aggFmt(e)
		}
		return "[" + strings.Join(parts, ", ") + "]"
	case map[any]any:
		parts := make([]string, 0, len(x))
		for k, e := range x {
			parts = append(parts, aggFmt(k)+": "+aggFmt(e))
		}
		sort.Strings(parts)
		return "{" + strings.Join(parts, ", ") + "}"
	case *types.Struct:
		if x == nil {
			return "null"
		}
		parts := make([]string, len(x.Values))
		for i, e := range x.Values {
			n := "?"
			if x.Type != nil && i < len(x.Type.Fields) {
				n = x.Type.Fields[i].Name
			}
			parts[i] = n + "=" + aggFmt(e)
		}
		return "struct{" + strings.Join(parts, ", ") + "}"
	}
	return fmt.Sprintf("%T(%v)", v, v)
}

// aggStructOf returns a struct value of type t.
func aggStructOf(t *types.Type, vals ...any) *types.Struct {
	return &types.Struct{Type: t, Values: vals}
}
