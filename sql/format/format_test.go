package format

import (
	"errors"
	"strings"
	"testing"

	"github.com/ksqlgo/ksqlgo/sql/types"
)

func col(name string, t *types.Type) types.Column { return types.Column{Name: name, Type: t} }

func ptr[T any](v T) *T { return &v }

func mustNew(t *testing.T, name string, cols []types.Column, opts Options) Codec {
	t.Helper()
	c, err := New(name, cols, opts)
	if err != nil {
		t.Fatalf("New(%s, %v, %+v): %v", name, cols, opts, err)
	}
	return c
}

// roundTripCase is a row of columns cols that a codec must decode back as it was encoded.
type roundTripCase struct {
	name string
	cols []types.Column
	opts Options
	row  []any
}

// checkRoundTrip encodes each case's row with the format, decodes it back and expects the
// same row (same Go types, Decimal scale included).
func checkRoundTrip(t *testing.T, format string, cases []roundTripCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := mustNew(t, format, tc.cols, tc.opts)
			b, err := c.Encode(tc.row)
			if err != nil {
				t.Fatalf("Encode: %v", err)
			}
			got, err := c.Decode(b)
			if err != nil {
				t.Fatalf("Decode(%q): %v", b, err)
			}
			if !sameRow(got, tc.row) {
				t.Fatalf("round trip via %q:\ngot  %#v\nwant %#v", b, got, tc.row)
			}
		})
	}
}

// TestNewErrors checks every validation error against the message the QTT files expect
// (as a substring, as the QTT runner matches them).
func TestNewErrors(t *testing.T) {
	mapID := types.MapOf(types.INT, types.DOUBLE)
	for _, tc := range []struct {
		name   string
		format string
		cols   []types.Column
		opts   Options
		want   string // expected message, or a substring of it
		exact  bool   // the whole message must equal want
		schema bool   // a *SchemaError is expected
	}{
		{"kafka struct value", "KAFKA", []types.Column{col("FOO", types.StructOf(types.Field{Name: "F1", Type: types.DOUBLE}))}, Options{},
			"The 'KAFKA' format does not support type 'STRUCT'", false, true},
		{"kafka array value", "kafka", []types.Column{col("FOO", types.ArrayOf(types.INT))}, Options{},
			"The 'KAFKA' format does not support type 'ARRAY'", false, true},
		{"kafka map value", "KafkA", []types.Column{col("FOO", mapID)}, Options{},
			"The 'KAFKA' format does not support type 'MAP'", false, true},
		{"kafka boolean value", "KAFKA", []types.Column{col("V0", types.BOOLEAN)}, Options{},
			"The 'KAFKA' format does not support type 'BOOLEAN'", false, true},
		{"kafka two value columns", "KAFKA", []types.Column{col("V0", types.INT), col("V1", types.STRING)}, Options{},
			"The 'KAFKA' format only supports a single field. Got: [`V0` INTEGER, `V1` STRING]", false, true},
		{"kafka boolean key", "KAFKA", []types.Column{col("K", types.BOOLEAN)}, Options{Key: true},
			"Key format does not support schema.\nformat: KAFKA\nschema: Persistence{columns=[`K` BOOLEAN KEY], features=[]}\nreason: The 'KAFKA' format does not support type 'BOOLEAN'", true, true},
		{"kafka decimal key", "KAFKA", []types.Column{col("K", types.DecimalOf(21, 19))}, Options{Key: true},
			"Key format does not support schema.\nformat: KAFKA\nschema: Persistence{columns=[`K` DECIMAL(21, 19) KEY], features=[]}\nreason: The 'KAFKA' format does not support type 'DECIMAL'", true, true},
		{"kafka array key", "KAFKA", []types.Column{col("ID", types.ArrayOf(types.INT))}, Options{Key: true},
			"Key format does not support schema.\nformat: KAFKA\nschema: Persistence{columns=[`ID` ARRAY<INTEGER> KEY], features=[]}\nreason: The 'KAFKA' format does not support type 'ARRAY'", true, true},
		{"kafka two key columns", "KAFKA", []types.Column{col("K1", types.INT), col("K2", types.INT)}, Options{Key: true},
			"Key format does not support schema.\nformat: KAFKA\nschema: Persistence{columns=[`K1` INTEGER KEY, `K2` INTEGER KEY], features=[]}\nreason: The 'KAFKA' format only supports a single field. Got: [`K1` INTEGER KEY, `K2` INTEGER KEY]", true, true},
		{"kafka timestamp", "KAFKA", []types.Column{col("T", types.TIMESTAMP)}, Options{},
			"The 'KAFKA' format does not support type 'TIMESTAMP'", false, true},
		{"delimited array value", "DELIMITED", []types.Column{col("FOO", types.ArrayOf(types.INT))}, Options{},
			"The 'DELIMITED' format does not support type 'ARRAY'", false, true},
		{"delimited map value", "DELIMITED", []types.Column{col("FOO", mapID)}, Options{},
			"The 'DELIMITED' format does not support type 'MAP'", false, true},
		{"delimited struct value", "DELIMITED", []types.Column{col("FOO", types.StructOf(types.Field{Name: "F1", Type: types.DOUBLE}))}, Options{},
			"The 'DELIMITED' format does not support type 'STRUCT'", false, true},
		{"delimited array key", "DELIMITED", []types.Column{col("K", types.ArrayOf(types.DOUBLE))}, Options{Key: true},
			"Key format does not support schema.\nformat: DELIMITED\nschema: Persistence{columns=[`K` ARRAY<DOUBLE> KEY], features=[]}\nreason: The 'DELIMITED' format does not support type 'ARRAY', column: `K`", true, true},
		{"delimited struct key", "DELIMITED", []types.Column{col("K", types.StructOf(types.Field{Name: "F", Type: types.DOUBLE}))}, Options{Key: true},
			"Key format does not support schema.\nformat: DELIMITED\nschema: Persistence{columns=[`K` STRUCT<`F` DOUBLE> KEY], features=[]}\nreason: The 'DELIMITED' format does not support type 'STRUCT', column: `K`", true, true},
		{"delimited struct ROWKEY", "DELIMITED", []types.Column{col("ROWKEY", types.StructOf(types.Field{Name: "F", Type: types.DOUBLE}))}, Options{Key: true},
			"The 'DELIMITED' format does not support type 'STRUCT', column: `ROWKEY`", false, true},
		{"none keyed stream", "NONE", []types.Column{col("K", types.STRING)}, Options{Key: true},
			"The 'NONE' format can only be used when no columns are defined. Got: [`K` STRING KEY]", false, true},
		{"none value columns", "none", []types.Column{col("FOO", types.INT)}, Options{},
			"The 'NONE' format can only be used when no columns are defined. Got: [`FOO` INTEGER]", false, true},
		{"json map with int keys", "JSON", []types.Column{col("FOO", mapID)}, Options{},
			"JSON only supports MAP types with STRING keys", false, true},
		{"json nested map with int keys", "JSON", []types.Column{col("FOO", types.ArrayOf(types.StructOf(types.Field{Name: "M", Type: mapID})))}, Options{},
			"JSON only supports MAP types with STRING keys", false, true},
		{"map key", "KAFKA", []types.Column{col("K", mapID)}, Options{Key: true},
			"Map keys, including types that contain maps, are not supported as they may lead to unexpected behavior due to inconsistent serialization. Key column name: `K`. Column type: MAP<INTEGER, DOUBLE>. See https://github.com/confluentinc/ksql/issues/6621 for more.", true, false},
		{"map key json", "JSON", []types.Column{col("K", types.ArrayOf(mapID))}, Options{Key: true},
			"Map keys, including types that contain maps, are not supported as they may lead to unexpected behavior due to inconsistent serialization. Key column name: `K`. Column type: ARRAY<MAP<INTEGER, DOUBLE>>. See https://github.com/confluentinc/ksql/issues/6621 for more.", true, false},
		{"map in struct key", "JSON", []types.Column{col("KSQL_COL_0", types.StructOf(types.Field{Name: "F", Type: types.MapOf(types.STRING, types.STRING)}))}, Options{Key: true},
			"Map keys, including types that contain maps, are not supported as they may lead to unexpected behavior due to inconsistent serialization. Key column name: `KSQL_COL_0`. Column type: STRUCT<`F` MAP<STRING, STRING>>. See https://github.com/confluentinc/ksql/issues/6621 for more.", true, false},
		{"wrap true multi-field", "JSON", []types.Column{col("F0", types.STRING), col("F1", types.STRING)}, Options{WrapSingle: ptr(true)},
			"'WRAP_SINGLE_VALUE' is only valid for single-field value schemas", true, false},
		{"wrap false multi-field", "JSON", []types.Column{col("F0", types.STRING), col("F1", types.STRING)}, Options{WrapSingle: ptr(false)},
			"'WRAP_SINGLE_VALUE' is only valid for single-field value schemas", true, false},
		{"kafka wrapped", "KAFKA", []types.Column{col("FOO", types.INT)}, Options{WrapSingle: ptr(true)},
			"Format 'KAFKA' does not support 'WRAP_SINGLE_VALUE' set to 'true'.", true, false},
		{"delimited wrapped", "DELIMITED", []types.Column{col("FOO", types.INT)}, Options{WrapSingle: ptr(true)},
			"Format 'DELIMITED' does not support 'WRAP_SINGLE_VALUE' set to 'true'.", true, false},
		{"json delimiter", "JSON", nil, Options{Delimiter: "|"},
			"JSON does not support the following configs: [delimiter]", true, false},
		{"delimiter too long", "DELIMITED", []types.Column{col("A", types.INT)}, Options{Delimiter: "<~>"},
			"Configuration VALUE_DELIMITER is invalid: Invalid delimiter value: '<~>'. Delimiter must be a single character or TAB,SPACE\nExample valid value: ';'", true, false},
		{"delimiter space", "DELIMITED", []types.Column{col("A", types.INT)}, Options{Delimiter: " "},
			"Configuration VALUE_DELIMITER is invalid: Delimiter cannot be empty, if you meant to have a tab or space for delimiter, please use the special values 'TAB' or 'SPACE'\nExample valid value: ';'", true, false},
		{"delimiter tab character", "DELIMITED", []types.Column{col("A", types.INT)}, Options{Delimiter: "\t"},
			"Configuration VALUE_DELIMITER is invalid: Delimiter cannot be empty, if you meant to have a tab or space for delimiter, please use the special values 'TAB' or 'SPACE'\nExample valid value: ';'", true, false},
		{"key delimiter", "DELIMITED", []types.Column{col("A", types.INT)}, Options{Key: true, Delimiter: "ab"},
			"Configuration KEY_DELIMITER is invalid: Invalid delimiter value: 'ab'", false, false},
		{"unknown format", "AVRO", nil, Options{}, "Unknown format: AVRO", true, false},
		{"untyped column", "JSON", []types.Column{{Name: "X"}}, Options{}, "column `X` has no type", true, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := New(tc.format, tc.cols, tc.opts)
			if err == nil {
				t.Fatalf("New succeeded, want error %q", tc.want)
			}
			if tc.exact && err.Error() != tc.want || !tc.exact && !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error:\n%s\nwant:\n%s", err, tc.want)
			}
			var se *SchemaError
			if errors.As(err, &se) != tc.schema {
				t.Fatalf("error %T, SchemaError expected: %v", err, tc.schema)
			}
			if tc.schema && !strings.Contains(se.Error(), "reason: "+se.Reason) {
				t.Fatalf("SchemaError message %q lacks its reason %q", se.Error(), se.Reason)
			}
		})
	}
}

func TestSchemaErrorValue(t *testing.T) {
	_, err := New("KAFKA", []types.Column{col("V0", types.INT), col("V1", types.STRING)}, Options{})
	want := "Value format does not support schema.\nformat: KAFKA\nschema: Persistence{columns=[`V0` INTEGER, `V1` STRING], features=[]}\nreason: The 'KAFKA' format only supports a single field. Got: [`V0` INTEGER, `V1` STRING]"
	if err == nil || err.Error() != want {
		t.Fatalf("got %v, want %s", err, want)
	}
}

func TestNewAccepts(t *testing.T) {
	all := []types.Column{
		col("BO", types.BOOLEAN), col("I", types.INT), col("BI", types.BIGINT), col("D", types.DOUBLE),
		col("DE", types.DecimalOf(4, 2)), col("S", types.STRING), col("BY", types.BYTES),
		col("DA", types.DATE), col("TI", types.TIME), col("TS", types.TIMESTAMP),
	}
	for _, tc := range []struct {
		name   string
		format string
		cols   []types.Column
		opts   Options
	}{
		{"json every type", "json", append(all, col("A", types.ArrayOf(types.MapOf(types.STRING, types.INT)))), Options{}},
		{"json single unwrapped", "JSON", []types.Column{col("V", types.INT)}, Options{WrapSingle: ptr(false)}},
		{"json single wrapped", "JSON", []types.Column{col("V", types.INT)}, Options{WrapSingle: ptr(true)}},
		{"json keys", "JSON", []types.Column{col("K1", types.INT), col("K2", types.STRING)}, Options{Key: true}},
		{"json keyless", "JSON", nil, Options{Key: true}},
		{"delimited every primitive", "Delimited", all, Options{}},
		{"delimited unwrapped", "DELIMITED", []types.Column{col("V", types.INT)}, Options{WrapSingle: ptr(false)}},
		{"delimited TAB", "DELIMITED", all, Options{Delimiter: "TAB"}},
		{"delimited space", "DELIMITED", all, Options{Delimiter: "space"}},
		{"delimited pipe key", "DELIMITED", all, Options{Key: true, Delimiter: "|"}},
		{"kafka each type", "KAFKA", []types.Column{col("V", types.BYTES)}, Options{}},
		{"kafka unwrapped", "KAFKA", []types.Column{col("V", types.INT)}, Options{WrapSingle: ptr(false)}},
		{"kafka keyless", "KAFKA", nil, Options{Key: true}},
		{"none keyless", "NONE", nil, Options{Key: true}},
	} {
		t.Run(tc.name, func(t *testing.T) { mustNew(t, tc.format, tc.cols, tc.opts) })
	}
}

func TestSupports(t *testing.T) {
	for _, tc := range []struct {
		format string
		t      *types.Type
		want   string
	}{
		{"KAFKA", types.INT, ""},
		{"KAFKA", types.BIGINT, ""},
		{"KAFKA", types.DOUBLE, ""},
		{"KAFKA", types.STRING, ""},
		{"KAFKA", types.BYTES, ""},
		{"KAFKA", types.BOOLEAN, "The 'KAFKA' format does not support type 'BOOLEAN'"},
		{"KAFKA", types.DecimalOf(2, 1), "The 'KAFKA' format does not support type 'DECIMAL'"},
		{"KAFKA", types.DATE, "The 'KAFKA' format does not support type 'DATE'"},
		{"DELIMITED", types.TIMESTAMP, ""},
		{"DELIMITED", types.BYTES, ""},
		{"DELIMITED", types.MapOf(types.STRING, types.INT), "The 'DELIMITED' format does not support type 'MAP'"},
		{"JSON", types.MapOf(types.STRING, types.MapOf(types.STRING, types.INT)), ""},
		{"JSON", types.MapOf(types.STRING, types.MapOf(types.INT, types.INT)), "JSON only supports MAP types with STRING keys"},
		{"NONE", types.INT, "The 'NONE' format does not support type 'INTEGER'"},
		{"PROTOBUF", types.INT, "Unknown format: PROTOBUF"},
	} {
		err := Supports(tc.format, tc.t)
		got := ""
		if err != nil {
			got = err.Error()
		}
		if got != tc.want {
			t.Errorf("Supports(%s, %s) = %q, want %q", tc.format, tc.t, got, tc.want)
		}
	}
}

func TestParseDelimiter(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want rune
		err  string
	}{
		{",", ',', ""},
		{"|", '|', ""},
		{"$", '$', ""},
		{"TAB", '\t', ""},
		{"tab", '\t', ""},
		{"SPACE", ' ', ""},
		{"é", 'é', ""},
		{"", 0, "Delimiter cannot be empty"},
		{" ", 0, "Delimiter cannot be empty"},
		{"\t", 0, "Delimiter cannot be empty"},
		{"<~>", 0, "Invalid delimiter value: '<~>'. Delimiter must be a single character or TAB,SPACE"},
		{`"`, 0, "quoteChar"},
	} {
		got, err := ParseDelimiter("VALUE_DELIMITER", tc.in)
		if tc.err != "" {
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("ParseDelimiter(%q) error = %v, want %q", tc.in, err, tc.err)
			}
			continue
		}
		if err != nil || got != tc.want {
			t.Errorf("ParseDelimiter(%q) = %q, %v; want %q", tc.in, got, err, tc.want)
		}
	}
}

// TestVoidCodecs covers codecs of no columns: keys of keyless sources and NONE.
func TestVoidCodecs(t *testing.T) {
	for _, f := range []string{"KAFKA", "DELIMITED", "JSON", "NONE"} {
		c := mustNew(t, f, nil, Options{Key: true})
		for _, in := range [][]byte{nil, []byte("data that should be ignored"), {}} {
			row, err := c.Decode(in)
			if err != nil || row == nil || len(row) != 0 {
				t.Errorf("%s: Decode(%q) = %#v, %v; want an empty row", f, in, row, err)
			}
		}
		for _, row := range [][]any{nil, {}} {
			if b, err := c.Encode(row); err != nil || b != nil {
				t.Errorf("%s: Encode(%#v) = %q, %v; want nil", f, row, b, err)
			}
		}
		if _, err := c.Encode([]any{"x"}); err == nil {
			t.Errorf("%s: Encode of a value for no columns succeeded", f)
		}
	}
	if c := mustNew(t, "NONE", nil, Options{}); c == nil {
		t.Fatal("NONE value codec is nil")
	}
}

func TestEncodeRowLength(t *testing.T) {
	cols := []types.Column{col("A", types.INT), col("B", types.INT)}
	for _, f := range []string{"JSON", "DELIMITED"} {
		c := mustNew(t, f, cols, Options{})
		if _, err := c.Encode([]any{int32(1)}); err == nil {
			t.Errorf("%s: Encode of 1 value for 2 columns succeeded", f)
		}
	}
	c := mustNew(t, "KAFKA", cols[:1], Options{})
	if _, err := c.Encode([]any{int32(1), int32(2)}); err == nil {
		t.Error("KAFKA: Encode of 2 values for 1 column succeeded")
	}
}

func TestConcurrentUse(t *testing.T) {
	var codecs []Codec
	for _, f := range []string{"JSON", "DELIMITED"} {
		codecs = append(codecs, mustNew(t, f, allCols, Options{}))
	}
	codecs = append(codecs, mustNew(t, "KAFKA", allCols[2:3], Options{}))
	done := make(chan error)
	for g := range 4 {
		go func() {
			var err error
			for i := range 200 {
				c := codecs[(g+i)%len(codecs)]
				row := allRow
				if c == codecs[2] {
					row = allRow[2:3]
				}
				var b []byte
				if b, err = c.Encode(row); err != nil {
					break
				}
				var got []any
				if got, err = c.Decode(b); err != nil {
					break
				}
				if !sameRow(got, row) {
					err = errors.New("round trip differs")
					break
				}
			}
			done <- err
		}()
	}
	for range 4 {
		if err := <-done; err != nil {
			t.Fatal(err)
		}
	}
}
