package engine

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/ksqlgo/ksqlgo/sql/expr"
	"github.com/ksqlgo/ksqlgo/sql/format"
	"github.com/ksqlgo/ksqlgo/sql/parser"
	"github.com/ksqlgo/ksqlgo/sql/types"
)

func convertType(t *parser.Type, custom func(string) *types.Type) (*types.Type, error) {
	return expr.ConvertType(t, custom)
}

// reserved are the pseudo column names no column may take.
var reserved = map[string]bool{"ROWTIME": true, "ROWPARTITION": true, "ROWOFFSET": true, "WINDOWSTART": true, "WINDOWEND": true}

// withProps is a statement's WITH clause, by upper-case property name.
type withProps map[string]*parser.Literal

func readProps(ps []parser.Property) withProps {
	out := withProps{}
	for _, p := range ps {
		out[strings.ToUpper(p.Name.Name)] = p.Value
	}
	return out
}

func (w withProps) str(name string) (string, bool) {
	l, ok := w[name]
	if !ok {
		return "", false
	}
	return l.Text, true
}

// formats holds the formats and serde settings a source is written with.
type formats struct {
	Key, Value   string
	WrapSingle   *bool
	Delimiter    string // VALUE_DELIMITER
	KeyDelimiter string // KEY_DELIMITER
}

// readFormats reads KEY_FORMAT / VALUE_FORMAT / FORMAT / WRAP_SINGLE_VALUE /
// KEY_DELIMITER / VALUE_DELIMITER, with inherit as the defaults (nil: session defaults).
// An inherited delimiter is dropped with its format when the WITH clause names another.
func (e *Engine) readFormats(w withProps, inherit *formats) (formats, error) {
	f := formats{}
	if inherit != nil {
		f = *inherit
		f.WrapSingle = nil
		_, both := w["FORMAT"]
		if _, ok := w["VALUE_FORMAT"]; ok || both {
			f.Delimiter = ""
		}
		if _, ok := w["KEY_FORMAT"]; ok || both {
			f.KeyDelimiter = ""
		}
	} else {
		f.Key = strings.ToUpper(e.prop("ksql.persistence.default.format.key"))
		if f.Key == "" {
			f.Key = "KAFKA"
		}
		f.Value = strings.ToUpper(e.prop("ksql.persistence.default.format.value"))
	}
	if v, ok := w.str("FORMAT"); ok {
		if _, ok := w["KEY_FORMAT"]; ok {
			return f, stmtErr("Cannot supply both 'KEY_FORMAT' and 'FORMAT' properties, as 'FORMAT' sets both key and value formats.\nEither use just 'FORMAT', or use 'KEY_FORMAT' and 'VALUE_FORMAT'.")
		}
		if _, ok := w["VALUE_FORMAT"]; ok {
			return f, stmtErr("Cannot supply both 'VALUE_FORMAT' and 'FORMAT' properties, as 'FORMAT' sets both key and value formats.\nEither use just 'FORMAT', or use 'KEY_FORMAT' and 'VALUE_FORMAT'.")
		}
		f.Key, f.Value = strings.ToUpper(v), strings.ToUpper(v)
	}
	if v, ok := w.str("KEY_FORMAT"); ok {
		f.Key = strings.ToUpper(v)
	}
	if v, ok := w.str("VALUE_FORMAT"); ok {
		f.Value = strings.ToUpper(v)
	}
	if v, ok := w.str("WRAP_SINGLE_VALUE"); ok {
		b, err := boolProp(v)
		if err != nil {
			return f, stmtErr("Property WRAP_SINGLE_VALUE must be a boolean")
		}
		f.WrapSingle = &b
	}
	for _, d := range []struct {
		prop string
		dst  *string
	}{{"KEY_DELIMITER", &f.KeyDelimiter}, {"VALUE_DELIMITER", &f.Delimiter}} {
		v, ok := w.str(d.prop)
		if !ok {
			continue
		}
		if _, err := format.ParseDelimiter(d.prop, v); err != nil {
			return f, stmtErr("Failed to prepare statement: %v", err)
		}
		*d.dst = v
	}
	for _, name := range []string{f.Key, f.Value} {
		switch name {
		case "JSON", "KAFKA", "DELIMITED", "NONE", "":
		default:
			return f, stmtErr("Unsupported format: %s", name)
		}
	}
	return f, nil
}

// defaultWrapSingle applies the session default ksql.persistence.wrap.single.values when
// WRAP_SINGLE_VALUE is not given. As in ksqlDB it only applies to a single-column value
// in a format that can wrap it (JSON), while an explicit WRAP_SINGLE_VALUE is checked
// against the value columns and format.
func (e *Engine) defaultWrapSingle(f *formats, values []types.Column) {
	if f.WrapSingle != nil || len(values) != 1 || f.Value != "JSON" {
		return
	}
	if b, err := boolProp(e.prop("ksql.persistence.wrap.single.values")); err == nil {
		f.WrapSingle = &b
	}
}

// checkFormats validates that the key and value columns can be written in the formats,
// with ksqlDB's messages.
func checkFormats(f formats, keys, values []types.Column, table bool) error {
	if f.Value == "" {
		return stmtErr("Statement is missing the 'VALUE_FORMAT' property from the WITH clause. Either provide one or set a default via the 'ksql.persistence.default.format.value' config.")
	}
	if f.WrapSingle != nil {
		switch f.Value {
		case "KAFKA", "DELIMITED":
			if *f.WrapSingle {
				return stmtErr("Format '%s' does not support 'WRAP_SINGLE_VALUE' set to 'true'.", f.Value)
			}
		}
		if len(values) != 1 {
			return stmtErr("'WRAP_SINGLE_VALUE' is only valid for single-field value schemas")
		}
	}
	if f.Key == "NONE" && len(keys) > 0 {
		return stmtErr("The 'NONE' format can only be used when no columns are defined. Got: [%s]", types.FormatColumns(keys, " KEY"))
	}
	for _, c := range keys {
		if hasMap(c.Type) {
			return stmtErr("Map keys, including types that contain maps, are not supported as they may lead to unexpected behavior due to inconsistent serialization. Key column name: `%s`. Column type: %s. See https://github.com/confluentinc/ksql/issues/6621 for more.", c.Name, c.Type.String())
		}
	}
	if _, err := format.New(f.Key, keys, format.Options{Key: true, Delimiter: f.KeyDelimiter}); err != nil {
		var se *format.SchemaError
		if !errors.As(err, &se) {
			return stmtErr("%s", err.Error())
		}
		return stmtErr("Key format does not support schema.\nformat: %s\nschema: Persistence{columns=[%s], features=[]}\nreason: %s", f.Key, types.FormatColumns(keys, " KEY"), se.Reason)
	}
	if _, err := format.New(f.Value, values, format.Options{WrapSingle: f.WrapSingle, Delimiter: f.Delimiter}); err != nil {
		return stmtErr("%s", err.Error())
	}
	return nil
}

func hasMap(t *types.Type) bool {
	switch t.Kind {
	case types.KMap:
		return true
	case types.KArray:
		return hasMap(t.Elem)
	case types.KStruct:
		for _, f := range t.Fields {
			if hasMap(f.Type) {
				return true
			}
		}
	}
	return false
}

func (e *Engine) createSource(s *parser.CreateSource) (*Result, error) {
	kind := "stream"
	if s.Kind == parser.KindTable {
		kind = "table"
	}
	name := s.Name.Name
	if old := e.Catalog.Source(name); old != nil {
		if s.IfNotExists {
			return &Result{}, nil
		}
		if !s.OrReplace {
			return nil, stmtErrAt(s.Pos, "Cannot add %s '%s': A %s with the same name already exists", kind, name, strings.ToLower(old.Kind()))
		}
		if old.ReadOnly || s.Source {
			return nil, stmtErrAt(s.Pos, "Cannot add %s '%s': CREATE OR REPLACE is not supported on source %ss.", kind, name, kind)
		}
	}
	if s.OrReplace && s.Source {
		return nil, stmtErrAt(s.Pos, "Cannot add %s '%s': CREATE OR REPLACE is not supported on source %ss.", kind, name, kind)
	}
	w := readProps(s.Props)
	topic, ok := w.str("KAFKA_TOPIC")
	if !ok {
		return nil, stmtErrAt(s.Pos, "Missing required property \"KAFKA_TOPIC\" which has no default value.")
	}
	src := &Source{Name: name, Table: s.Kind == parser.KindTable, Topic: topic, ReadOnly: s.Source, Partitions: 1}
	var keys, values []types.Column
	seen := map[string]bool{}
	for _, c := range s.Columns {
		if reserved[c.Name.Name] {
			return nil, stmtErrAt(c.Name.Pos, "'%s' is a reserved column name. You cannot use it as a name for a column.", c.Name.Name)
		}
		if seen[c.Name.Name] {
			return nil, stmtErrAt(c.Name.Pos, "Duplicate column names:\n\t%s", c.Name.Name)
		}
		seen[c.Name.Name] = true
		t, err := e.resolveType(c.Type)
		if err != nil {
			return nil, err
		}
		col := Column{Column: types.Column{Name: c.Name.Name, Type: t}}
		switch c.Constraint {
		case parser.ColKey:
			if src.Table {
				return nil, parseErrAt(c.Name.Pos, "Column `%s` is a 'KEY' column: please use 'PRIMARY KEY' for tables.\nTables have PRIMARY KEYs, which are unique and NON NULL.\nStreams have KEYs, which have no uniqueness or NON NULL constraints.", c.Name.Name)
			}
			col.Kind = KeyCol
			keys = append(keys, col.Column)
		case parser.ColPrimaryKey:
			if !src.Table {
				return nil, parseErrAt(c.Name.Pos, "Column `%s` is a 'PRIMARY KEY' column: please use 'KEY' for streams.\nTables have PRIMARY KEYs, which are unique and NON NULL.\nStreams have KEYs, which have no uniqueness or NON NULL constraints.", c.Name.Name)
			}
			col.Kind = KeyCol
			keys = append(keys, col.Column)
		case parser.ColHeaders:
			want := types.ArrayOf(types.StructOf(types.Field{Name: "KEY", Type: types.STRING}, types.Field{Name: "VALUE", Type: types.BYTES}))
			if !t.Equal(want) {
				return nil, stmtErrAt(c.Name.Pos, "Invalid type for HEADERS column: expected %s, got %s", want.String(), t.String())
			}
			col.Kind = HeadersCol
		case parser.ColHeader:
			if t.Kind != types.KBytes {
				return nil, stmtErrAt(c.Name.Pos, "Invalid type for HEADER('%s') column: expected BYTES, got %s", c.HeaderKey, t.String())
			}
			col.Kind = HeaderCol
			col.HeaderKey = c.HeaderKey
		default:
			values = append(values, col.Column)
		}
		src.Columns = append(src.Columns, col)
	}
	// Key columns first, as ksqlDB's schema lists them.
	ordered := make([]Column, 0, len(src.Columns))
	for _, c := range src.Columns {
		if c.Kind == KeyCol {
			ordered = append(ordered, c)
		}
	}
	for _, c := range src.Columns {
		if c.Kind != KeyCol {
			ordered = append(ordered, c)
		}
	}
	src.Columns = ordered
	if src.Table && len(keys) == 0 {
		return nil, stmtErrAt(s.Pos, "Tables require a PRIMARY KEY. Please define the PRIMARY KEY.")
	}
	f, err := e.readFormats(w, nil)
	if err != nil {
		return nil, err
	}
	if len(keys) == 0 && f.Key != "NONE" {
		if _, explicit := w["KEY_FORMAT"]; !explicit {
			if _, both := w["FORMAT"]; !both {
				f.Key = "KAFKA"
			}
		}
	}
	e.defaultWrapSingle(&f, values)
	if err := checkFormats(f, keys, values, src.Table); err != nil {
		return nil, err
	}
	src.KeyFormat, src.ValueFormat, src.WrapSingle = f.Key, f.Value, f.WrapSingle
	src.Delimiter, src.KeyDelimiter = f.Delimiter, f.KeyDelimiter
	if err := e.readSourceOptions(src, w); err != nil {
		return nil, err
	}
	if src.Window != nil && len(keys) == 0 {
		return nil, stmtErr("Windowed sources require a key column.")
	}
	if err := e.existingPartitions(src); err != nil {
		return nil, err
	}
	if err := e.Runner.CreateTopic(topic, src.Partitions); err != nil {
		return nil, err
	}
	if src.Table && src.ReadOnly {
		if err := e.startSourceTableQuery(src); err != nil {
			return nil, err
		}
	}
	e.Catalog.put(src)
	return &Result{Message: strings.ToUpper(kind[:1]) + kind[1:] + " created"}, nil
}

// readSourceOptions reads PARTITIONS, TIMESTAMP, TIMESTAMP_FORMAT, WINDOW_TYPE and
// WINDOW_SIZE.
func (e *Engine) readSourceOptions(src *Source, w withProps) error {
	if v, ok := w.str("PARTITIONS"); ok {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			return stmtErr("Invalid number of partitions: %s", v)
		}
		src.Partitions, src.PartitionsKnown = n, true
	}
	if v, ok := w.str("TIMESTAMP"); ok {
		name := strings.ToUpper(v)
		if l := w["TIMESTAMP"]; l.Kind == parser.LitString && strings.HasPrefix(v, "`") {
			name = strings.Trim(v, "`")
		}
		c := src.Column(name)
		if c == nil {
			return stmtErr("The TIMESTAMP column set in the WITH clause does not exist in the schema: '%s'", name)
		}
		src.TimestampColumn = name
		if f, ok := w.str("TIMESTAMP_FORMAT"); ok {
			src.TimestampFormat = f
		}
		if err := checkTimestampColumn(c, src.TimestampFormat); err != nil {
			return err
		}
	}
	if v, ok := w.str("WINDOW_TYPE"); ok {
		wt := strings.ToUpper(v)
		switch wt {
		case "TUMBLING", "HOPPING", "SESSION":
		default:
			return stmtErr("Invalid WINDOW_TYPE: %s", v)
		}
		src.Window = &WindowInfo{Type: wt}
		if sz, ok := w.str("WINDOW_SIZE"); ok {
			if wt == "SESSION" {
				return parseErr("'WINDOW_SIZE' should not be set for SESSION windows.")
			}
			ms, err := parseDurationText(sz)
			if err != nil {
				return parseErr("Configuration WINDOW_SIZE is invalid: %v", err)
			}
			src.Window.Size = ms
		} else if wt != "SESSION" {
			return stmtErr("WINDOW_SIZE required for WINDOW_TYPE %s", wt)
		}
	}
	return nil
}

// checkTimestampColumn checks that c can be a source's or sink's TIMESTAMP column: a
// BIGINT, a TIMESTAMP, or a STRING with a TIMESTAMP_FORMAT.
func checkTimestampColumn(c *Column, timestampFormat string) error {
	switch {
	case c.Type.Kind == types.KBigint, c.Type.Kind == types.KTimestamp:
	case c.Type.Kind == types.KString && timestampFormat != "":
	default:
		return stmtErr("Timestamp column, `%s`, should be LONG(INT64), TIMESTAMP, or a String with a timestamp_format specified", c.Name)
	}
	return nil
}

var unitMillis = map[string]int64{
	"MILLISECOND": 1, "MILLISECONDS": 1, "SECOND": 1000, "SECONDS": 1000, "MINUTE": 60000, "MINUTES": 60000,
	"HOUR": 3600000, "HOURS": 3600000, "DAY": 86400000, "DAYS": 86400000,
}

// parseDurationText reads "10 SECONDS" style durations.
func parseDurationText(s string) (int64, error) {
	parts := strings.Fields(s)
	if len(parts) != 2 {
		return 0, fmt.Errorf("Invalid duration: '%s'. Expected format: <number> <unit>", s)
	}
	n, err := strconv.ParseInt(parts[0], 10, 64)
	if err != nil {
		return 0, fmt.Errorf("Invalid duration: '%s'. Expected format: <number> <unit>", s)
	}
	u, ok := unitMillis[strings.ToUpper(parts[1])]
	if !ok {
		return 0, fmt.Errorf("Invalid duration: '%s'. Unknown time unit: '%s'", s, strings.ToUpper(parts[1]))
	}
	return n * u, nil
}

// durationMillis converts a parsed window duration.
func durationMillis(d parser.Duration) (int64, error) {
	u, ok := unitMillis[strings.TrimSuffix(d.Unit, "S")+"S"]
	if !ok {
		u, ok = unitMillis[d.Unit]
	}
	if !ok {
		return 0, stmtErrAt(d.Pos, "Unknown time unit: '%s'", d.Unit)
	}
	return d.Count * u, nil
}

func (e *Engine) alter(s *parser.AlterSource) (*Result, error) {
	src := e.Catalog.Source(s.Name.Name)
	if src == nil {
		return nil, stmtErrAt(s.Pos, "Source %s does not exist.", s.Name.Name)
	}
	kind := strings.ToLower(src.Kind())
	if src.ReadOnly {
		return nil, stmtErrAt(s.Pos, "Cannot alter %s '%s': ALTER operations are not supported on source %ss.", kind, src.Name, kind)
	}
	if src.Query != "" {
		return nil, stmtErrAt(s.Pos, "ALTER command is not supported for CREATE ... AS statements.")
	}
	for _, c := range s.Columns {
		if src.Column(c.Name.Name) != nil {
			return nil, stmtErrAt(c.Name.Pos, "Cannot add column `%s` to schema. A column with the same name already exists.", c.Name.Name)
		}
		t, err := e.resolveType(c.Type)
		if err != nil {
			return nil, err
		}
		src.Columns = append(src.Columns, Column{Column: types.Column{Name: c.Name.Name, Type: t}})
	}
	return &Result{Message: "Source altered"}, nil
}
