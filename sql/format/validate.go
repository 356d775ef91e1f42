package format

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/ksqlgo/ksqlgo/sql/types"
)

// SchemaError says that a format cannot hold a list of columns. Its message is ksqlDB's:
//
//	Key format does not support schema.
//	format: KAFKA
//	schema: Persistence{columns=[`K` BOOLEAN KEY], features=[]}
//	reason: The 'KAFKA' format does not support type 'BOOLEAN'
type SchemaError struct {
	// Format is the canonical format name.
	Format string
	// Key says the columns are key columns.
	Key bool
	// Columns are the rejected columns.
	Columns []types.Column
	// Features are the serde features shown in the schema, e.g. "UNWRAP_SINGLES".
	Features []string
	// Reason is ksqlDB's reason, e.g. "The 'KAFKA' format only supports a single field.
	// Got: [`V0` INTEGER, `V1` STRING]".
	Reason string
}

// Error returns ksqlDB's full message: target, format, schema, features and reason.
func (e *SchemaError) Error() string {
	target, suffix := "Value", ""
	if e.Key {
		target, suffix = "Key", " KEY"
	}
	return target + " format does not support schema.\nformat: " + e.Format +
		"\nschema: Persistence{columns=[" + types.FormatColumns(e.Columns, suffix) +
		"], features=[" + strings.Join(e.Features, ", ") + "]}\nreason: " + e.Reason
}

// schemaReason returns why format f cannot hold cols, or "".
func schemaReason(f string, cols []types.Column, key bool) string {
	suffix := ""
	if key {
		suffix = " KEY"
	}
	switch f {
	case None:
		if len(cols) != 0 {
			return "The 'NONE' format can only be used when no columns are defined. Got: [" +
				types.FormatColumns(cols, suffix) + "]"
		}
	case Kafka:
		if len(cols) > 1 {
			return "The 'KAFKA' format only supports a single field. Got: [" + types.FormatColumns(cols, suffix) + "]"
		}
	}
	for _, c := range cols {
		if err := Supports(f, c.Type); err != nil {
			if f == Delimited {
				return err.Error() + ", column: `" + c.Name + "`"
			}
			return err.Error()
		}
	}
	return ""
}

// Supports says whether the named format can hold a column of type t: nil, or an error
// with ksqlDB's reason, e.g. "The 'DELIMITED' format does not support type 'ARRAY'" or
// "JSON only supports MAP types with STRING keys". KAFKA holds INT, BIGINT, DOUBLE,
// STRING and BYTES; DELIMITED every type but ARRAY, MAP and STRUCT; JSON every type whose
// maps have STRING keys; NONE none.
func Supports(name string, t *types.Type) error {
	f, err := Normalize(name)
	if err != nil {
		return err
	}
	if t == nil {
		return nil
	}
	switch f {
	case Kafka:
		switch t.Kind {
		case types.KInt, types.KBigint, types.KDouble, types.KString, types.KBytes:
			return nil
		}
	case Delimited:
		switch t.Kind {
		case types.KArray, types.KMap, types.KStruct:
		default:
			return nil
		}
	case JSON:
		if !jsonMapKeysOK(t) {
			return fmt.Errorf("JSON only supports MAP types with STRING keys")
		}
		return nil
	}
	return fmt.Errorf("The '%s' format does not support type '%s'", f, t.Kind)
}

func jsonMapKeysOK(t *types.Type) bool {
	if t == nil {
		return true
	}
	switch t.Kind {
	case types.KArray:
		return jsonMapKeysOK(t.Elem)
	case types.KMap:
		return t.Key != nil && t.Key.Kind == types.KString && jsonMapKeysOK(t.Elem)
	case types.KStruct:
		for _, fl := range t.Fields {
			if !jsonMapKeysOK(fl.Type) {
				return false
			}
		}
	}
	return true
}

// ParseDelimiter parses the value of a DELIMITED delimiter property (property is its name
// for messages: KEY_DELIMITER or VALUE_DELIMITER) as ksqlDB does: a single character, or
// TAB or SPACE (any case). A value that is empty or only white space, or longer, is an
// error with ksqlDB's message, e.g. "Configuration VALUE_DELIMITER is invalid: Delimiter
// cannot be empty, if you meant to have a tab or space for delimiter, please use the
// special values 'TAB' or 'SPACE'\nExample valid value: ';'".
func ParseDelimiter(property, value string) (rune, error) {
	invalid := func(msg string) error {
		return fmt.Errorf("Configuration %s is invalid: %s\nExample valid value: ';'", property, msg)
	}
	if trimJava(value) == "" {
		return 0, invalid("Delimiter cannot be empty, if you meant to have a tab or space for delimiter, " +
			"please use the special values 'TAB' or 'SPACE'")
	}
	if r, size := utf8.DecodeRuneInString(value); size == len(value) && r != utf8.RuneError {
		if r == '"' {
			return 0, invalid("The quoteChar character and the delimiter cannot be the same ('\"')")
		}
		return r, nil
	}
	switch strings.ToUpper(value) {
	case "TAB":
		return '\t', nil
	case "SPACE":
		return ' ', nil
	}
	return 0, invalid("Invalid delimiter value: '" + value + "'. Delimiter must be a single character or TAB,SPACE")
}
