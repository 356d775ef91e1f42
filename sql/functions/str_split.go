package functions

import (
	"bytes"
	"strings"
)

// SPLIT and SPLIT_TO_MAP.

func init() {
	builtinScalars = append(builtinScalars,
		strScalar("SPLIT", "STRING",
			"Splits a string or bytes into an array at every occurrence of the delimiter (a literal, not a regex). "+
				"An empty delimiter splits into characters or bytes.",
			Overload{Params: []string{"STRING", "STRING"}, Names: []string{"string", "delimiter"}, Returns: "ARRAY<STRING>", NullOnNull: true,
				Impl: func(a []any) (any, error) { return strSplit(a[0].(string), a[1].(string)), nil }},
			Overload{Params: []string{"BYTES", "BYTES"}, Names: []string{"bytes", "delimiter"}, Returns: "ARRAY<BYTES>", NullOnNull: true,
				Impl: func(a []any) (any, error) { return strSplitBytes(a[0].([]byte), a[1].([]byte)), nil }}),
		strScalar("SPLIT_TO_MAP", "STRING",
			"Splits a string into key-value pairs: entries at entryDelimiter, key and value at kvDelimiter. Entries "+
				"without kvDelimiter are skipped; a repeated key keeps its last value. NULL when a delimiter is empty "+
				"or both are equal.",
			Overload{Params: []string{"STRING", "STRING", "STRING"}, Names: []string{"input", "entryDelimiter", "kvDelimiter"},
				Returns: "MAP<STRING, STRING>", NullOnNull: true,
				Impl: func(a []any) (any, error) {
					return strSplitToMap(a[0].(string), a[1].(string), a[2].(string)), nil
				}}),
	)
}

// strSplit is SPLIT on strings: Guava's Splitter for a delimiter, Java's split on the
// empty pattern for an empty one ("" -> [""], "abc" -> [a, b, c]).
func strSplit(s, delim string) []any {
	if delim != "" {
		return strArrayOf(strings.Split(s, delim))
	}
	matches := make([][]int, 0, len(s)+1)
	for i := range s {
		matches = append(matches, []int{i, i})
	}
	matches = append(matches, []int{len(s), len(s)})
	return strJavaSplit(s, matches)
}

// strSplitBytes is SPLIT on bytes; an empty delimiter splits into single bytes.
func strSplitBytes(b, delim []byte) []any {
	if len(b) == 0 {
		return []any{[]byte{}}
	}
	var parts [][]byte
	if len(delim) == 0 {
		for i := range b {
			parts = append(parts, b[i:i+1])
		}
	} else {
		parts = bytes.Split(b, delim)
	}
	out := make([]any, len(parts))
	for i, p := range parts {
		out[i] = append([]byte{}, p...)
	}
	return out
}

// strSplitToMap is SPLIT_TO_MAP.
func strSplitToMap(s, entryDelim, kvDelim string) any {
	if entryDelim == "" || kvDelim == "" || entryDelim == kvDelim {
		return nil
	}
	out := map[any]any{}
	for _, e := range strings.Split(s, entryDelim) {
		if e == "" || !strings.Contains(e, kvDelim) {
			continue
		}
		parts := strings.Split(e, kvDelim)
		out[parts[0]] = parts[1]
	}
	return out
}
