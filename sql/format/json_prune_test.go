package format

import (
	"testing"

	"github.com/ksqlgo/ksqlgo/sql/types"
)

// pruneCols is a payment-like value with columns of every kind Prune treats differently
// (STRING: ignored, primitives: checked, a struct: checked through coerceJSON).
var pruneCols = []types.Column{
	col("ID", types.STRING), col("AMOUNT", types.DOUBLE), col("TS", types.BIGINT),
	col("NAME", types.STRING), col("OK", types.BOOLEAN),
	col("ST", types.StructOf(types.Field{Name: "X", Type: types.INT})),
}

// pruneInputs are decoded by both the full and the pruned codecs in the tests.
var pruneInputs = []string{
	`{"ID":"a","AMOUNT":1.5,"TS":17,"NAME":"n","OK":true,"ST":{"X":1}}`,
	`{"id":"a","amount":1.5,"ts":17,"name":"n","ok":"TRUE","st":{"x":1}}`,
	`{"ts":1,"TS":2,"ts":3}`,                    // exact name first, last duplicate wins
	`{"ID":{"deep":[1,2,{"x":null}]},"TS":5}`,   // any JSON is a STRING
	`{"ID":"\u00e9\n","other":[1,"x",{"y":2}]}`, // escapes and unknown members
	`{"AMOUNT":"abc","TS":1}`,                   // unused DOUBLE that does not coerce
	`{"TS":1.9,"OK":"maybe"}`,                   // unused BOOLEAN that does not coerce
	`{"ST":{"X":"nan"}}`,                        // unused STRUCT whose field does not coerce
	`{"TS":[1,2],"AMOUNT":{"a":1}}`,             // containers where primitives are checked
	`{"AMOUNT":"1e5","TS":"12","OK":"false"}`,   // strings that coerce
	`{"TS":"12x"}`, `{"ts":-99999999999999999999}`,
	`{"ID":"a","NAME":[1,2,}`,  // syntax error in a skipped member
	`{"ID":"a","other":01}`,    // leading zero in a skipped member
	`{"NAME":"\uZZZZ"}`,        // bad escape in a skipped member
	`{"ÉTÉ":1,"été":2,"TS":3}`, // non-ASCII member names
	`[1,2]`, `"x"`, `null`, ``, `  `, `{}`, `{"TS":1} trailing`,
}

func TestPruneDecodesLikeTheFullCodec(t *testing.T) {
	full := mustNew(t, JSON, pruneCols, Options{})
	for _, used := range [][]bool{
		{false, false, false, false, false, false},
		{false, false, true, false, false, false},
		{true, false, false, false, true, false},
		{false, true, false, true, false, true},
	} {
		pruned := Prune(full, used)
		if pruned == full {
			t.Fatalf("Prune(%v) returned the full codec", used)
		}
		for _, in := range pruneInputs {
			checkPruned(t, full, pruned, used, []byte(in))
		}
	}
}

// TestPruneWide prunes a codec with more checked columns than the skipper compares one by
// one (it uses a set then).
func TestPruneWide(t *testing.T) {
	full := mustNew(t, JSON, allCols, Options{})
	used := make([]bool, len(allCols))
	used[1] = true
	pruned := Prune(full, used)
	for _, in := range []string{
		`{"BO":true,"I":-7,"BI":10827272222,"D":2.0,"DE":1.50,"S":"x","BY":"eA==","DA":1,"TI":2,"TS":3}`,
		`{"bo":"TRUE","i":"5","bi":1e3,"d":"NaN","de":"9.999","s":{"a":[1,{"b":null}]},"ts":-1.5}`,
		`{"i":1,"x":2,"an_unknown_member_name_longer_than_sixty_four_bytes_abcdefghijklmnop":[1,]}`,
		`{"I":1,"TI":-5}`, `{"I":1,"de":"x"}`, `{"Ï":1,"i":2}`,
	} {
		checkPruned(t, full, pruned, used, []byte(in))
	}
}

func TestPruneKeepsCodecs(t *testing.T) {
	full := mustNew(t, JSON, pruneCols, Options{})
	all := []bool{true, true, true, true, true, true}
	unwrapped := mustNew(t, JSON, pruneCols[:1], Options{WrapSingle: ptr(false)})
	delimited := mustNew(t, Delimited, pruneCols[:3], Options{})
	for _, tc := range []struct {
		name string
		c    Codec
		used []bool
	}{
		{"every column used", full, all},
		{"wrong column count", full, all[:2]},
		{"unwrapped JSON", unwrapped, []bool{false}},
		{"DELIMITED", delimited, []bool{false, false, false}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := Prune(tc.c, tc.used); got != tc.c {
				t.Errorf("Prune returned a new codec")
			}
		})
	}
}

// checkPruned decodes b with full and pruned: they must fail alike (same message), and
// the pruned row must be the full row with the unused columns NULL.
func checkPruned(t *testing.T, full, pruned Codec, used []bool, b []byte) {
	t.Helper()
	want, werr := full.Decode(b)
	got, gerr := pruned.Decode(b)
	if (werr == nil) != (gerr == nil) || (werr != nil && werr.Error() != gerr.Error()) {
		t.Fatalf("used %v, %q: pruned error %v, full error %v", used, b, gerr, werr)
	}
	if werr != nil {
		return
	}
	if want != nil {
		want = append([]any(nil), want...)
		for i, u := range used {
			if !u {
				want[i] = nil
			}
		}
	}
	if !sameRow(got, want) {
		t.Fatalf("used %v, %q: pruned row %#v, want %#v", used, b, got, want)
	}
}

func FuzzJSONPrune(f *testing.F) {
	for _, s := range pruneInputs {
		f.Add([]byte(s), uint8(0b000100))
	}
	full, err := New(JSON, pruneCols, Options{})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, b []byte, mask uint8) {
		used := make([]bool, len(pruneCols))
		for i := range used {
			used[i] = mask&(1<<i) != 0
		}
		checkPruned(t, full, Prune(full, used), used, b)
	})
}
