package functions

import (
	"fmt"
	"strings"

	"github.com/ksqlgo/ksqlgo/sql/types"
)

// SUBSTRING and INSTR.

// SubstringLegacyArgsConfig switches SUBSTRING to KSQL 5.0's arguments when "true":
// SUBSTRING(str, startIndex[, endIndex]) with base-zero indexes and an end index rather
// than a length. Default false.
const SubstringLegacyArgsConfig = "ksql.functions.substring.legacy.args"

func init() {
	modern := Overloads("SUBSTRING",
		Overload{Params: []string{"STRING", "INT"}, Names: []string{"str", "pos"}, Returns: "STRING", NullOnNull: true,
			Impl: func(a []any) (any, error) {
				s := a[0].(string)
				n := strLen16(s)
				return strSlice16(s, strSubStart(n, a[1].(int32)), n), nil
			}},
		Overload{Params: []string{"STRING", "INT", "INT"}, Names: []string{"str", "pos", "length"}, Returns: "STRING", NullOnNull: true,
			Impl: func(a []any) (any, error) {
				s := a[0].(string)
				n := strLen16(s)
				start := strSubStart(n, a[1].(int32))
				return strSlice16(s, start, strSubEnd(n, start, a[2].(int32))), nil
			}},
		Overload{Params: []string{"BYTES", "INT"}, Names: []string{"bytes", "pos"}, Returns: "BYTES", NullOnNull: true,
			Impl: func(a []any) (any, error) {
				b := a[0].([]byte)
				return append([]byte{}, b[strSubStart(len(b), a[1].(int32)):]...), nil
			}},
		Overload{Params: []string{"BYTES", "INT", "INT"}, Names: []string{"bytes", "pos", "length"}, Returns: "BYTES", NullOnNull: true,
			Impl: func(a []any) (any, error) {
				b := a[0].([]byte)
				start := strSubStart(len(b), a[1].(int32))
				return append([]byte{}, b[start:strSubEnd(len(b), start, a[2].(int32))]...), nil
			}},
	)
	legacy := Overloads("SUBSTRING",
		Overload{Params: []string{"STRING", "INT"}, Names: []string{"str", "startIndex"}, Returns: "STRING", NullOnNull: true,
			Impl: func(a []any) (any, error) {
				s := a[0].(string)
				return strLegacySubstring(s, int(a[1].(int32)), strLen16(s))
			}},
		Overload{Params: []string{"STRING", "INT", "INT"}, Names: []string{"str", "startIndex", "endIndex"}, Returns: "STRING", NullOnNull: true,
			Impl: func(a []any) (any, error) {
				return strLegacySubstring(a[0].(string), int(a[1].(int32)), int(a[2].(int32)))
			}},
	)
	builtinScalars = append(builtinScalars, &Scalar{
		Name:     "SUBSTRING",
		Category: "STRING",
		Description: "Returns the portion of the string or bytes from pos (base one; negative counts from the end) " +
			"to the end, or of the given length. With " + SubstringLegacyArgsConfig + "=true, takes base-zero " +
			"start and end indexes instead.",
		Signatures: []string{"SUBSTRING(str STRING, pos INT)", "SUBSTRING(str STRING, pos INT, length INT)",
			"SUBSTRING(bytes BYTES, pos INT)", "SUBSTRING(bytes BYTES, pos INT, length INT)"},
		Bind: func(args []Arg, cfg Config) (*types.Type, Impl, error) {
			if strings.EqualFold(strings.TrimSpace(cfg[SubstringLegacyArgsConfig]), "true") {
				if t, impl, err := legacy(args, cfg); err == nil {
					return t, impl, nil
				}
			}
			return modern(args, cfg)
		},
	})

	builtinScalars = append(builtinScalars, strScalar("INSTR", "STRING",
		"Returns the position (base one) of the occurrence-th occurrence of substring in str, searching from "+
			"position (negative: from the end, backwards); 0 when not found or when str or substring is NULL.",
		Overload{Params: []string{"STRING", "STRING"}, Names: []string{"str", "substring"}, Returns: "INT",
			Impl: func(a []any) (any, error) { return strInstr(a[0], a[1], int32(1), int32(1)), nil }},
		Overload{Params: []string{"STRING", "STRING", "INT"}, Names: []string{"str", "substring", "position"}, Returns: "INT",
			Impl: func(a []any) (any, error) { return strInstr(a[0], a[1], a[2], int32(1)), nil }},
		Overload{Params: []string{"STRING", "STRING", "INT", "INT"}, Names: []string{"str", "substring", "position", "occurrence"}, Returns: "INT",
			Impl: func(a []any) (any, error) { return strInstr(a[0], a[1], a[2], a[3]), nil }},
	))
}

// strSubStart is ksqlDB's base-zero start index for a base-one (or negative) pos.
func strSubStart(n int, pos int32) int {
	p := int(pos)
	if p < 0 {
		return max(n+p, 0)
	}
	return max(min(p-1, n), 0)
}

// strSubEnd is ksqlDB's end index for a start index and a length.
func strSubEnd(n, start int, length int32) int {
	return max(min(start+int(length), n), start)
}

// strLegacySubstring is Java's String.substring(start, end), with its error for indexes
// out of range.
func strLegacySubstring(s string, start, end int) (any, error) {
	n := strLen16(s)
	if start < 0 || end > n || start > end {
		return nil, fmt.Errorf("begin %d, end %d, length %d", start, end, n)
	}
	return strSlice16(s, start, end), nil
}

// strInstr implements INSTR: 0 when str or substring is NULL, NULL when position or
// occurrence is.
func strInstr(str, sub, position, occurrence any) any {
	if str == nil || sub == nil {
		return int32(0)
	}
	if position == nil || occurrence == nil {
		return nil
	}
	s, t := str.(string), sub.(string)
	pos, occ := int(position.(int32)), int(occurrence.(int32))
	if occ <= 0 {
		return int32(0)
	}
	idx := 0
	if pos < 0 {
		idx = strLen16(s) + pos
		for i := 0; i < occ; i++ {
			if i > 0 {
				idx--
			}
			if idx = strLastIndex16(s, t, idx); idx < 0 {
				return int32(0)
			}
		}
		return int32(idx + 1)
	}
	idx = pos - 1
	for i := 0; i < occ; i++ {
		if i > 0 {
			idx++
		}
		if idx = strIndex16(s, t, idx); idx < 0 {
			return int32(0)
		}
	}
	return int32(idx + 1)
}
