package qtt

import (
	"encoding/json"
	"math/big"
	"strings"
	"testing"
)

func TestMatchValue(t *testing.T) {
	tests := []struct {
		name     string
		expected string
		actual   any
		exact    bool
		want     bool
	}{
		{"null vs nil", `null`, nil, true, true},
		{"null vs value", `null`, int64(0), true, false},
		{"null vs typed nil", `null`, (*Decimal)(nil), true, true},

		{"decimal same scale", `1.50`, dec(150, 2), true, true},
		{"decimal 1.50 vs 1.5", `1.50`, dec(15, 1), true, false},
		{"decimal 1.5 vs 1.50", `1.5`, dec(150, 2), true, false},
		{"exponent literal", `1.0E20`, dec(10, -19), true, true},
		{"exponent literal other scale", `1.0E20`, dec(1, -20), true, false},
		{"integer literal vs decimal scale 0", `2`, dec(2, 0), true, true},
		{"integer literal vs decimal scale 1", `2`, dec(20, 1), true, false},
		{"integer literal vs decimal negative scale", `100`, dec(1, -2), true, true},
		{"integer literal vs other value", `3`, dec(2, 0), true, false},
		{"integer vs integer", `42`, int64(42), true, true},
		{"integer vs other integer", `42`, int64(41), true, false},
		{"decimal literal truncated for integer", `1.9`, int64(1), true, true},
		{"negative decimal truncated toward zero", `-1.9`, int64(-1), true, true},
		{"Go int accepted", `7`, 7, true, true},
		{"Go int32 accepted", `7`, int32(7), true, true},
		{"big.Int accepted", `9223372036854775808`, new(big.Int).Lsh(big.NewInt(1), 63), true, true},

		{"float approx", `1.0000001`, 1.0000002, false, true},
		{"float approx too far", `1.1`, 1.2, false, false},
		{"float vs integer literal approx", `2`, 2.0, false, true},
		{"float exact: Double.toString 2.0", `2.0`, 2.0, true, true},
		{"float exact: integer literal vs 2.0", `2`, 2.0, true, false},
		{"float exact: 1.0E20", `1.0E20`, 1e20, true, true},
		{"float exact: digits differ", `1.10`, 1.1, true, false},
		{"number vs string", `1`, "1", true, false},
		{"number vs bool", `1`, true, true, false},

		{"string equal", `"abc"`, "abc", true, true},
		{"string differs", `"abc"`, "abd", true, false},
		{"string vs decimal", `"1.50"`, dec(150, 2), true, true},
		{"string vs decimal other scale", `"1.50"`, dec(15, 1), true, false},
		{"string not a number vs decimal", `"x"`, dec(1, 0), true, false},
		{"string vs bytes base64", `"AQID"`, []byte{1, 2, 3}, true, true},
		{"string vs bytes wrong", `"AQIE"`, []byte{1, 2, 3}, true, false},
		{"string vs empty bytes", `""`, []byte{}, true, true},
		{"string vs integer", `"1"`, int64(1), true, false},

		{"bool", `true`, true, true, true},
		{"bool differs", `true`, false, true, false},

		{"object exact names", `{"A": 1, "B": "x"}`, map[string]any{"A": int64(1), "B": "x"}, true, true},
		{"object upper-case lookup", `{"a": 1}`, map[string]any{"A": int64(1)}, true, true},
		{"object exact name preferred", `{"a": 1}`, map[string]any{"a": int64(1), "A": int64(2)}, true, false},
		{"object lower-case actual not found", `{"A": 1}`, map[string]any{"a": int64(1)}, true, false},
		{"object extra actual field", `{"A": 1}`, map[string]any{"A": int64(1), "B": nil}, true, false},
		{"object missing field", `{"A": 1, "B": null}`, map[string]any{"A": int64(1), "C": nil}, true, false},
		{"object nested", `{"S": {"F": 1.50}}`, map[string]any{"S": map[string]any{"F": dec(150, 2)}}, true, true},
		{"object typed map", `{"A": 1}`, map[string]int64{"A": 1}, true, true},
		{"object vs array", `{}`, []any{}, true, false},

		{"array", `[1, "x", null]`, []any{int64(1), "x", nil}, true, true},
		{"array length", `[1]`, []any{int64(1), int64(2)}, true, false},
		{"array element", `[1, 2]`, []any{int64(1), int64(3)}, true, false},
		{"array typed slice", `[1, 2]`, []int{1, 2}, true, true},
		{"empty array vs nil", `[]`, nil, true, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ok, why := MatchValue(json.RawMessage(tt.expected), tt.actual, tt.exact)
			if ok != tt.want {
				t.Errorf("MatchValue(%s, %#v, exact=%v) = %v (%s), want %v", tt.expected, tt.actual, tt.exact, ok, why, tt.want)
			}
			if ok != (why == "") {
				t.Errorf("why = %q with ok = %v", why, ok)
			}
		})
	}
}

func TestMatchValueWhy(t *testing.T) {
	_, why := MatchValue(json.RawMessage(`{"A": [1, 1.50]}`), map[string]any{"A": []any{int64(1), dec(15, 1)}}, true)
	for _, want := range []string{`expected {"A":[1,1.50]}`, `got {"A":[1,1.5]}`, `at .A[1]`, `decimal 1.5 (scale 1)`} {
		if !strings.Contains(why, want) {
			t.Errorf("why %q does not contain %q", why, want)
		}
	}
}

func TestMatchRecord(t *testing.T) {
	ts := func(v int64) *int64 { return &v }
	base := Record{Topic: "OUTPUT", Key: json.RawMessage(`1`), KeyPresent: true, Value: json.RawMessage(`{"V":1.50}`), Timestamp: ts(10)}
	act := Actual{Key: int64(1), Value: map[string]any{"V": dec(150, 2)}, Timestamp: 10}
	win := &Window{Start: 0, End: 1000, Type: "time"}
	hdrs := func(hs ...Header) (Record, Actual) {
		r, a := base, act
		r.Headers, a.Headers = hs[:1], hs[1:]
		return r, a
	}
	r1, a1 := hdrs(Header{"h1", []byte("x")}, Header{"h1", []byte("x")})
	r2, a2 := hdrs(Header{"h1", nil}, Header{"h1", []byte{}})
	tests := []struct {
		name string
		rec  Record
		act  Actual
		opts MatchOpts
		want string // "" for a match, else a substring of why
	}{
		{"match", base, act, MatchOpts{ExactNumeric: true}, ""},
		{"key differs", base, Actual{Key: int64(2), Value: act.Value, Timestamp: 10}, MatchOpts{}, "key: expected 1"},
		{"absent key means null", func() Record { r := base; r.Key, r.KeyPresent = nil, false; return r }(),
			Actual{Value: act.Value, Timestamp: 10}, MatchOpts{}, ""},
		{"value differs", base, Actual{Key: int64(1), Value: map[string]any{"V": dec(15, 1)}, Timestamp: 10}, MatchOpts{}, "value: "},
		{"tombstone", func() Record { r := base; r.Value = json.RawMessage("null"); return r }(),
			Actual{Key: int64(1), Timestamp: 10}, MatchOpts{}, ""},
		{"timestamp differs", base, Actual{Key: int64(1), Value: act.Value, Timestamp: 11}, MatchOpts{}, "timestamp: expected 10, got 11"},
		{"timestamp absent matches any", func() Record { r := base; r.Timestamp = nil; return r }(),
			Actual{Key: int64(1), Value: act.Value, Timestamp: 99}, MatchOpts{}, ""},
		{"no inputs: expected 0 matches any", func() Record { r := base; r.Timestamp = ts(0); return r }(),
			Actual{Key: int64(1), Value: act.Value, Timestamp: 99}, MatchOpts{NoInputs: true}, ""},
		{"with inputs: expected 0 is exact", func() Record { r := base; r.Timestamp = ts(0); return r }(),
			Actual{Key: int64(1), Value: act.Value, Timestamp: 99}, MatchOpts{}, "timestamp"},
		{"window match", func() Record { r := base; r.Window = win; return r }(),
			Actual{Key: int64(1), Value: act.Value, Timestamp: 10, Window: &Window{0, 1000, "time"}}, MatchOpts{}, ""},
		{"window type differs", func() Record { r := base; r.Window = win; return r }(),
			Actual{Key: int64(1), Value: act.Value, Timestamp: 10, Window: &Window{0, 1000, "session"}}, MatchOpts{}, "window: "},
		{"window end differs", func() Record { r := base; r.Window = win; return r }(),
			Actual{Key: int64(1), Value: act.Value, Timestamp: 10, Window: &Window{0, 999, "time"}}, MatchOpts{}, "window: "},
		{"window expected, plain key", func() Record { r := base; r.Window = win; return r }(), act, MatchOpts{}, "unwindowed"},
		{"plain expected, windowed key", base, func() Actual { a := act; a.Window = win; return a }(), MatchOpts{}, "expected an unwindowed key"},
		{"window inner key differs", func() Record { r := base; r.Window = win; return r }(),
			Actual{Key: int64(2), Value: act.Value, Timestamp: 10, Window: win}, MatchOpts{}, "key: "},
		{"headers absent, actual has some", base, func() Actual { a := act; a.Headers = []Header{{"h", nil}}; return a }(), MatchOpts{}, "headers: "},
		{"headers equal", r1, a1, MatchOpts{}, ""},
		{"null header vs empty", r2, a2, MatchOpts{}, "headers: "},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ok, why := MatchRecord(tt.rec, tt.act, tt.opts)
			if tt.want == "" {
				if !ok {
					t.Errorf("no match: %s", why)
				}
				return
			}
			if ok || !strings.Contains(why, tt.want) {
				t.Errorf("MatchRecord = %v, %q; want a mismatch mentioning %q", ok, why, tt.want)
			}
		})
	}
}

func TestFormatValue(t *testing.T) {
	got := FormatValue(map[string]any{"b": []any{dec(150, 2), 1.5, []byte{1}}, "a": nil, "c": "x\"y"})
	want := `{"a":null,"b":[1.50,1.5f,"AQ=="],"c":"x\"y"}`
	if got != want {
		t.Errorf("FormatValue = %s, want %s", got, want)
	}
}
