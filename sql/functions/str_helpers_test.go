package functions

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"math"
	"reflect"
	"strings"
	"testing"

	"github.com/ksqlgo/ksqlgo/sql/types"
)

// Test helpers shared by the string, JSON, URL and conversion function tests.

// strCase is one call of a function: its argument values, and the expected result or a
// substring of the expected error.
type strCase struct {
	name string
	args []any
	want any
	err  string
}

// strBind binds the named built-in for argument types (the last type repeats for extra
// arguments) and returns the result type and the closure.
func strBind(t *testing.T, cfg Config, fn string, argTypes []*types.Type, n int) (*types.Type, Impl) {
	t.Helper()
	s := Builtins().Scalar(fn)
	if s == nil {
		t.Fatalf("no scalar function %s", fn)
	}
	args := make([]Arg, n)
	for i := range args {
		args[i] = Arg{Type: argTypes[min(i, len(argTypes)-1)]}
	}
	ret, impl, err := s.Bind(args, cfg)
	if err != nil {
		t.Fatalf("bind %s(%v): %v", fn, argTypes, err)
	}
	return ret, impl
}

// strRun runs the cases of one function as subtests.
func strRun(t *testing.T, fn string, argTypes []*types.Type, cases []strCase) {
	t.Helper()
	strRunCfg(t, nil, fn, argTypes, cases)
}

func strRunCfg(t *testing.T, cfg Config, fn string, argTypes []*types.Type, cases []strCase) {
	t.Helper()
	for i, c := range cases {
		name := c.name
		if name == "" {
			name = fmt.Sprintf("%d", i)
		}
		t.Run(name, func(t *testing.T) {
			t.Helper()
			var impl Impl
			if len(c.args) == 0 {
				_, impl = strBind(t, cfg, fn, nil, 0)
			} else {
				_, impl = strBind(t, cfg, fn, argTypes, len(c.args))
			}
			got, err := impl(c.args)
			strCheck(t, fmt.Sprintf("%s%s", fn, strArgsText(c.args)), got, err, c.want, c.err)
		})
	}
}

// strCheck compares a result with the expected value or error.
func strCheck(t *testing.T, call string, got any, err error, want any, wantErr string) {
	t.Helper()
	if wantErr != "" {
		if err == nil || !strings.Contains(err.Error(), wantErr) {
			t.Fatalf("%s: got (%#v, %v), want error containing %q", call, got, err, wantErr)
		}
		return
	}
	if err != nil {
		t.Fatalf("%s: unexpected error %v", call, err)
	}
	if !strSame(got, want) {
		t.Fatalf("%s = %#v, want %#v", call, got, want)
	}
}

func strArgsText(args []any) string {
	parts := make([]string, len(args))
	for i, a := range args {
		if b, ok := a.([]byte); ok {
			parts[i] = fmt.Sprintf("b%q", b)
		} else {
			parts[i] = fmt.Sprintf("%#v", a)
		}
	}
	return "(" + strings.Join(parts, ", ") + ")"
}

// strSame compares SQL values exactly (decimals with their scale, NULL elements).
func strSame(a, b any) bool {
	switch x := a.(type) {
	case float64:
		y, ok := b.(float64)
		return ok && (math.IsNaN(x) && math.IsNaN(y) || x == y && math.Signbit(x) == math.Signbit(y))
	case types.Decimal:
		y, ok := b.(types.Decimal)
		return ok && x.String() == y.String()
	case []byte:
		y, ok := b.([]byte)
		return ok && bytes.Equal(x, y)
	case []any:
		y, ok := b.([]any)
		if !ok || len(x) != len(y) {
			return false
		}
		for i := range x {
			if !strSame(x[i], y[i]) {
				return false
			}
		}
		return true
	case map[any]any:
		y, ok := b.(map[any]any)
		if !ok || len(x) != len(y) {
			return false
		}
		for k, v := range x {
			w, ok := y[k]
			if !ok || !strSame(v, w) {
				return false
			}
		}
		return true
	}
	return reflect.DeepEqual(a, b)
}

// strB64 decodes a base64 literal of the QTT files into BYTES.
func strB64(t *testing.T, s string) []byte {
	t.Helper()
	b, err := base64.StdEncoding.DecodeString(s)
	if err != nil {
		t.Fatalf("bad base64 %q: %v", s, err)
	}
	return b
}

// strList builds an ARRAY value.
func strList(vs ...any) []any { return vs }

// strDec parses a DECIMAL literal.
func strDec(t *testing.T, s string) types.Decimal {
	t.Helper()
	d, err := types.ParseDecimal(s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// strTypes is shorthand for argument type lists.
func strTypes(ts ...*types.Type) []*types.Type { return ts }
