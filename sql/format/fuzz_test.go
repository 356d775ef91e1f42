package format

import (
	"testing"

	"github.com/ksqlgo/ksqlgo/sql/types"
)

// fuzzCodecs are the codecs the decoders are fuzzed through.
func fuzzCodecs(t testing.TB, format string) []Codec {
	nested := types.StructOf(
		types.Field{Name: "A", Type: types.ArrayOf(types.DecimalOf(5, 3))},
		types.Field{Name: "M", Type: types.MapOf(types.STRING, types.ArrayOf(types.STRING))},
		types.Field{Name: "S", Type: types.StructOf(types.Field{Name: "B", Type: types.BYTES})},
	)
	var sets []struct {
		cols []types.Column
		opts Options
	}
	add := func(cols []types.Column, opts Options) {
		sets = append(sets, struct {
			cols []types.Column
			opts Options
		}{cols, opts})
	}
	add(allCols, Options{})
	add(allCols[:3], Options{Key: true})
	add([]types.Column{col("V", types.STRING)}, Options{WrapSingle: ptr(false)})
	if format == JSON {
		add([]types.Column{col("N", nested), col("S", types.STRING)}, Options{})
		add([]types.Column{col("N", nested)}, Options{WrapSingle: ptr(false)})
	} else {
		add(allCols, Options{Delimiter: "TAB"})
	}
	var codecs []Codec
	for _, s := range sets {
		c, err := New(format, s.cols, s.opts)
		if err != nil {
			t.Fatal(err)
		}
		codecs = append(codecs, c)
	}
	return codecs
}

// fuzzDecode decodes b with every codec; a decoded row must encode, and the encoding must
// decode to the same row.
func fuzzDecode(t *testing.T, codecs []Codec, b []byte) {
	for _, c := range codecs {
		row, err := c.Decode(b)
		if err != nil || row == nil {
			continue
		}
		enc, err := c.Encode(row)
		if err != nil {
			t.Fatalf("Encode(%#v) of decoded %q: %v", row, b, err)
		}
		if len(enc) == 0 {
			// An unwrapped null re-encodes as Kafka null; a single null DELIMITED field as
			// an empty record, which ksqlDB cannot read back either ("No fields in record").
			continue
		}
		again, err := c.Decode(enc)
		if err != nil {
			t.Fatalf("Decode(%q) of re-encoded %q: %v", enc, b, err)
		}
		if !sameRow(row, again) {
			t.Fatalf("%q decoded as %#v, re-encoded as %q, decoded again as %#v", b, row, enc, again)
		}
	}
}

func FuzzJSONDecode(f *testing.F) {
	for _, s := range []string{
		`{"BO":true,"I":-7,"BI":10827272222,"D":2.0,"DE":1.50,"S":"x","BY":"eA==","DA":1,"TI":2,"TS":3}`,
		`{"bo":"TRUE","i":"5","bi":1e3,"d":"NaN","de":"9.999","s":{"a":[1,{"b":null}]},"ts":-1.5}`,
		`{"N":{"A":[1.0005,null],"M":{"k":["a",1,true]},"S":{"b":"ew=="}},"S":[1,[2]]}`,
		`[1, 2, "3"]`, `"str"`, `null`, `12 `, `{"A":1} trailing`, `{"A":"\ud83d\ude00\u0000"}`,
		`{"DE":1e999999}`, `{"I":1e-99999}`, ``, `{`, `[[[[`,
	} {
		f.Add([]byte(s))
	}
	codecs := fuzzCodecs(f, JSON)
	f.Fuzz(func(t *testing.T, b []byte) { fuzzDecode(t, codecs, b) })
}

func FuzzDelimitedDecode(f *testing.F) {
	for _, s := range []string{
		`true,-7,10827272222,2.0,1.50,x,eA==,1,2,3`,
		`"true","1","2","NaN",".5","a""b",,"-1",0,0`,
		",,,,,,,,,", "a\tb", `"unterminated`, `"a"x`, "\n\n1,2", "",
	} {
		f.Add([]byte(s))
	}
	codecs := fuzzCodecs(f, Delimited)
	f.Fuzz(func(t *testing.T, b []byte) { fuzzDecode(t, codecs, b) })
}

func FuzzKafkaDecode(f *testing.F) {
	f.Add([]byte{0, 0, 0, 1})
	f.Add([]byte("string"))
	var codecs []Codec
	for _, tp := range []*types.Type{types.INT, types.BIGINT, types.DOUBLE, types.STRING, types.BYTES} {
		c, err := New(Kafka, []types.Column{col("V", tp)}, Options{})
		if err != nil {
			f.Fatal(err)
		}
		codecs = append(codecs, c)
	}
	f.Fuzz(func(t *testing.T, b []byte) { fuzzDecode(t, codecs, b) })
}
