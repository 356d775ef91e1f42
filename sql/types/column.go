package types

import "strings"

// Column is a named, typed column of a row schema.
type Column struct {
	Name string
	Type *Type
}

// FormatColumns renders columns as ksqlDB does in messages: "[`K` STRING KEY, `V` INT]"
// style without the brackets: "`K` STRING, `V` INTEGER" (suffix, e.g. " KEY", is added to
// each when given).
func FormatColumns(cols []Column, suffix string) string {
	parts := make([]string, len(cols))
	for i, c := range cols {
		parts[i] = "`" + c.Name + "` " + c.Type.String() + suffix
	}
	return strings.Join(parts, ", ")
}
