package functions

import (
	"testing"

	"github.com/ksqlgo/ksqlgo/sql/types"
)

// QTT split.json: SPLIT on strings, and on bytes with TO_BYTES(delimiter, 'utf8').
func TestStrSplit(t *testing.T) {
	cases := []struct {
		in, delim string
		want      []string
	}{
		{"a.b.c", ".", []string{"a", "b", "c"}},
		{".abc.", ".", []string{"", "abc", ""}},
		{"..a..", ".", []string{"", "", "a", "", ""}},
		{"abc", ".", []string{"abc"}},
		{"", ".", []string{""}},
		{"a$$b.c", "$$", []string{"a", "b.c"}},
		{".abc$$", "$$", []string{".abc", ""}},
		{".$$a..", "$$", []string{".", "a.."}},
		{"abc", "$$", []string{"abc"}},
		{"", "$$", []string{""}},
		{"a.b.c", "", []string{"a", ".", "b", ".", "c"}},
		{".abc.", "", []string{".", "a", "b", "c", "."}},
		{"..a..", "", []string{".", ".", "a", ".", "."}},
		{"abc", "", []string{"a", "b", "c"}},
		{"", "", []string{""}},
		{"a,b,c", ",", []string{"a", "b", "c"}},
		{",A,", ",", []string{"", "A", ""}},
		{"A,,A", ",", []string{"A", "", "A"}},
		{"1,2,3,4,5", ",", []string{"1", "2", "3", "4", "5"}},
		{"好😀", "", []string{"好", "😀"}},
	}
	_, toBytes := strBind(t, nil, "TO_BYTES", strS, 2)
	for _, c := range cases {
		var wantS, wantB []any
		for _, w := range c.want {
			wantS = append(wantS, w)
			wantB = append(wantB, []byte(w))
		}
		strRun(t, "SPLIT", strS, []strCase{{args: []any{c.in, c.delim}, want: wantS}})
		d, err := toBytes([]any{c.delim, "utf8"})
		if err != nil {
			t.Fatal(err)
		}
		if c.in == "好😀" {
			continue // bytes split per byte
		}
		strRun(t, "SPLIT", strTypes(types.BYTES), []strCase{{args: []any{[]byte(c.in), d}, want: wantB}})
	}
	strRun(t, "SPLIT", strS, []strCase{{args: []any{nil, ","}, want: nil}, {args: []any{"a", nil}, want: nil}})
	strRun(t, "SPLIT", strTypes(types.BYTES), []strCase{{args: []any{nil, []byte(",")}, want: nil}})
	ret, _ := strBind(t, nil, "SPLIT", strTypes(types.BYTES), 2)
	if ret.SQL() != "ARRAY<BYTES>" {
		t.Fatalf("SPLIT(BYTES, BYTES) returns %s", ret.SQL())
	}
}

// QTT split-to-map.json.
func TestStrSplitToMap(t *testing.T) {
	in := "apple:green/banana:yellow/cherry:red"
	strRun(t, "SPLIT_TO_MAP", strS, []strCase{
		{args: []any{in, "/", ":"}, want: map[any]any{"apple": "green", "banana": "yellow", "cherry": "red"}},
		{args: []any{in, "&&", ":"}, want: map[any]any{"apple": "green/banana"}},
		{args: []any{"apple:green//banana:yellow//cherry:red/", "/", ":"}, want: map[any]any{"apple": "green", "banana": "yellow", "cherry": "red"}},
		{args: []any{in, "/", "="}, want: map[any]any{}},
		{args: []any{in, "", ":"}, want: nil},
		{args: []any{in, "/", ""}, want: nil},
		{args: []any{in, nil, ":"}, want: nil},
		{args: []any{in, "/", nil}, want: nil},
		{args: []any{"", "/", ":"}, want: map[any]any{}},
		{args: []any{nil, "/", ":"}, want: nil},
		{name: "same delimiters", args: []any{in, ":", ":"}, want: nil},
		{name: "last wins, extra parts dropped", args: []any{"a:1/a:2:3", "/", ":"}, want: map[any]any{"a": "2"}},
	})
}
