package functions

import (
	"testing"

	"github.com/ksqlgo/ksqlgo/sql/types"
)

// QTT regex.json.
func TestStrRegexpExtract(t *testing.T) {
	strRun(t, "REGEXP_EXTRACT", strS, []strCase{
		{args: []any{"test.", "some_test_string"}, want: "test_"},
		{args: []any{"test.", "anothertest"}, want: nil},
		{args: []any{"test.", "testa"}, want: "testa"},
		{args: []any{"test.", "nothing"}, want: nil},
		{args: []any{"test.", nil}, want: nil},
		{args: []any{nil, "x"}, want: nil},
		{args: []any{"(", "x"}, err: "invalid regular expression"},
	})
	strRun(t, "REGEXP_EXTRACT", strTypes(types.STRING, types.STRING, types.INT), []strCase{
		{args: []any{"(.*) (.*)", "steven zhang", int32(2)}, want: "zhang"},
		{args: []any{"(.*) (.*)", "andy coates", int32(2)}, want: "coates"},
		{args: []any{"(.*) (.*)", "victoria xia", int32(2)}, want: "xia"},
		{args: []any{"(.*) (.*)", "apurva mehta", int32(2)}, want: "mehta"},
		{args: []any{"(.*) (.*)", "agavra", int32(2)}, want: nil},
		{args: []any{"(.*) (.*)", nil, int32(2)}, want: nil},
		{name: "group beyond count", args: []any{"(a)", "a", int32(2)}, want: nil},
		{name: "group 0", args: []any{"(a)b", "xab", int32(0)}, want: "ab"},
		{name: "group not matched", args: []any{"(a)|(b)", "b", int32(1)}, want: nil},
		{name: "negative group", args: []any{"(a)", "a", int32(-1)}, err: "No group -1"},
	})
	// Nested: REGEXP_EXTRACT('.*', REGEXP_EXTRACT('(.*) (.*)', input_string, 2)).
	_, inner := strBind(t, nil, "REGEXP_EXTRACT", strTypes(types.STRING, types.STRING, types.INT), 3)
	_, outer := strBind(t, nil, "REGEXP_EXTRACT", strS, 2)
	for in, want := range map[string]any{"steven zhang": "zhang", "agavra": nil} {
		v, err := inner([]any{"(.*) (.*)", in, int32(2)})
		if err != nil {
			t.Fatal(err)
		}
		if v != nil {
			v, err = outer([]any{".*", v})
		}
		if err != nil || v != want {
			t.Fatalf("nested(%q) = %v, %v; want %v", in, v, err, want)
		}
	}
}

// QTT regex.json "regex_extract_all ...".
func TestStrRegexpExtractAll(t *testing.T) {
	strRun(t, "REGEXP_EXTRACT_ALL", strS, []strCase{
		{args: []any{"test.", "some_test_string_testabab"}, want: strList("test_", "testa")},
		{args: []any{"test.", "anothertest"}, want: strList()},
		{args: []any{"test.", "testa"}, want: strList("testa")},
		{args: []any{"test.", "nothing"}, want: strList()},
		{args: []any{"test.", nil}, want: nil},
	})
	strRun(t, "REGEXP_EXTRACT_ALL", strTypes(types.STRING, types.STRING, types.INT), []strCase{
		{args: []any{`(\w+) (\w*)`, "steven zhang andy coates", int32(2)}, want: strList("zhang", "coates")},
		{args: []any{`(\w+) (\w*)`, "andy coates victoria xia", int32(2)}, want: strList("coates", "xia")},
		{args: []any{`(\w+) (\w*)`, "victoria xia apurva mehta", int32(2)}, want: strList("xia", "mehta")},
		{args: []any{`(\w+) (\w*)`, "apurva mehta agavra ", int32(2)}, want: strList("mehta", "")},
		{args: []any{`(\w+) (\w*)`, "agavra", int32(2)}, want: strList()},
		{args: []any{`(\w+) (\w*)`, nil, int32(2)}, want: nil},
		{args: []any{`(a)|(b)`, "ab", int32(2)}, want: strList(nil, "b")},
		{args: []any{`(a)`, "ab", int32(3)}, want: nil},
		{name: "java empty matches", args: []any{`a*`, "baac", int32(0)}, want: strList("", "aa", "", "")},
	})
}

// QTT replace.json "regexp_replace".
func TestStrRegexpReplace(t *testing.T) {
	strRun(t, "REGEXP_REPLACE", strS, []strCase{
		{args: []any{"baababaa", "(ab)+", "cat"}, want: "bacataa"},
		{args: []any{"baabbabaa", "(ab)+", "cat"}, want: "bacatbcataa"},
		{args: []any{nil, "(ab)+", "cat"}, want: nil},
		{args: []any{"baababaa", nil, "cat"}, want: nil},
		{args: []any{"baababaa", "(ab)+", nil}, want: nil},
		{name: "group ref", args: []any{"john smith", `(\w+) (\w+)`, "$2, $1"}, want: "smith, john"},
		{name: "group ref then digit", args: []any{"ab", `(a)`, "$10"}, want: "a0b"},
		{name: "named group", args: []any{"ab", `(?P<x>a)`, "[${x}]"}, want: "[a]b"},
		{name: "escaped dollar", args: []any{"ab", `a`, `\$1\\`}, want: `$1\b`},
		{name: "empty matches", args: []any{"abc", `x*`, "-"}, want: "-a-b-c-"},
		{name: "java empty match after a match", args: []any{"abc", `b*`, "-"}, want: "-a--c-"},
		{name: "java empty match at the end", args: []any{"abb", `b*`, "-"}, want: "-a--"},
		{name: "anchored", args: []any{"abc", `^b*`, "-"}, want: "-abc"},
		{name: "missing group", args: []any{"ab", `(a)`, "$2"}, err: "No group 2"},
		{name: "bad reference", args: []any{"ab", `(a)`, "$x"}, err: "Illegal group reference"},
		{name: "trailing backslash", args: []any{"ab", `(a)`, `x\`}, err: "character to be escaped is missing"},
		{name: "posix class", args: []any{"a1b2", `\p{Alpha}`, "_"}, want: "_1_2"},
		{name: "negated posix class", args: []any{"a1b2", `\P{Digit}`, "_"}, want: "_1_2"},
		{name: "posix in class", args: []any{"a1-b", `[\p{Digit}-]`, ""}, want: "ab"},
		{name: "java space", args: []any{"a\vb", `\s`, "_"}, want: "a_b"},
		{name: "quoted", args: []any{"a.b", `\Q.\E`, "_"}, want: "a_b"},
		{name: "bad regex", args: []any{"a", `(?<=a)b`, ""}, err: "invalid regular expression"},
	})
}

// QTT split.json "regexp_split_to_array".
func TestStrRegexpSplitToArray(t *testing.T) {
	strRun(t, "REGEXP_SPLIT_TO_ARRAY", strS, []strCase{
		{args: []any{"aabcda", "(ab|cd)"}, want: strList("a", "", "a")},
		{args: []any{"aabdcda", "(ab|cd)"}, want: strList("a", "d", "a")},
		{args: []any{"zxy", "(ab|cd)"}, want: strList("zxy")},
		{args: []any{nil, "(ab|cd)"}, want: nil},
		{args: []any{"zxy", nil}, want: nil},
		{name: "leading and trailing", args: []any{",a,", ","}, want: strList("", "a", "")},
		{name: "empty input", args: []any{"", ","}, want: strList("")},
		{name: "empty pattern", args: []any{"abc", ""}, want: strList("a", "b", "c")},
		{name: "empty pattern empty input", args: []any{"", ""}, want: strList("")},
		{name: "pattern matching empty", args: []any{"a,b,,", ",*"}, want: strList("a", "", "b")},
	})
}

func TestStrJavaRegexTranslation(t *testing.T) {
	for in, want := range map[string]string{
		`\p{Lower}+`:    `[a-z]+`,
		`[\p{Upper}0]`:  `[A-Z0]`,
		`\P{Alnum}`:     `[^a-zA-Z0-9]`,
		`\p{IsLatin}`:   `\p{Latin}`,
		`\p{L}`:         `\p{L}`,
		`\Q\p{Lower}\E`: `\Q\p{Lower}\E`,
		`\\p{Lower}`:    `\\p{Lower}`,
		`a\s`:           `a[\s\x0B]`,
		`[\s,]`:         `[\s\x0B,]`,
		`\Qab`:          `\Qab`,
	} {
		if got := strJavaRegex(in); got != want {
			t.Errorf("strJavaRegex(%q) = %q, want %q", in, got, want)
		}
	}
}

// A call site with a constant pattern compiles it once; others follow the rows.
func TestStrRegexConstAndVaryingPatterns(t *testing.T) {
	s := Builtins().Scalar("REGEXP_EXTRACT")
	_, impl, err := s.Bind([]Arg{{Type: types.STRING, Const: true, Value: "a+"}, {Type: types.STRING}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ p, in, want string }{{"a+", "baa", "aa"}, {"b+", "abb", "bb"}, {"a+", "xa", "a"}} {
		if v, err := impl([]any{c.p, c.in}); err != nil || v != c.want {
			t.Fatalf("REGEXP_EXTRACT(%q, %q) = %v, %v", c.p, c.in, v, err)
		}
	}
}
