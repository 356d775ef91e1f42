package types

import (
	"strconv"
	"strings"
)

// Kind is the base of a SQL type.
type Kind int

// Kinds, in ksqlDB's order of implicit widening for the numeric ones (INT < BIGINT <
// DECIMAL < DOUBLE).
const (
	KBoolean Kind = iota
	KInt
	KBigint
	KDecimal
	KDouble
	KString
	KBytes
	KDate
	KTime
	KTimestamp
	KArray
	KMap
	KStruct
	KNull
)

var kindNames = [...]string{"BOOLEAN", "INTEGER", "BIGINT", "DECIMAL", "DOUBLE", "STRING", "BYTES",
	"DATE", "TIME", "TIMESTAMP", "ARRAY", "MAP", "STRUCT", "NULL"}

// String returns the kind's SQL name.
func (k Kind) String() string { return kindNames[k] }

// Type is a SQL type. Types are immutable once built; share them freely.
type Type struct {
	Kind      Kind
	Precision int     // DECIMAL
	Scale     int     // DECIMAL
	Key       *Type   // MAP key
	Elem      *Type   // ARRAY element, MAP value
	Fields    []Field // STRUCT
}

// Field is one field of a STRUCT type.
type Field struct {
	Name string
	Type *Type
}

// The primitive types.
var (
	BOOLEAN   = &Type{Kind: KBoolean}
	INT       = &Type{Kind: KInt}
	BIGINT    = &Type{Kind: KBigint}
	DOUBLE    = &Type{Kind: KDouble}
	STRING    = &Type{Kind: KString}
	BYTES     = &Type{Kind: KBytes}
	DATE      = &Type{Kind: KDate}
	TIME      = &Type{Kind: KTime}
	TIMESTAMP = &Type{Kind: KTimestamp}
	NULL      = &Type{Kind: KNull}
)

// DecimalOf returns DECIMAL(precision, scale).
func DecimalOf(precision, scale int) *Type {
	return &Type{Kind: KDecimal, Precision: precision, Scale: scale}
}

// AsDecimal returns the DECIMAL an integer type widens to, as ksqlDB does (INT ->
// DECIMAL(10, 0), BIGINT -> DECIMAL(19, 0)); other types come back as they are.
func AsDecimal(t *Type) *Type {
	switch t.Kind {
	case KInt:
		return DecimalOf(10, 0)
	case KBigint:
		return DecimalOf(19, 0)
	}
	return t
}

// ArrayOf returns ARRAY<elem>.
func ArrayOf(elem *Type) *Type { return &Type{Kind: KArray, Elem: elem} }

// MapOf returns MAP<key, value>.
func MapOf(key, value *Type) *Type { return &Type{Kind: KMap, Key: key, Elem: value} }

// StructOf returns STRUCT<fields...>.
func StructOf(fields ...Field) *Type { return &Type{Kind: KStruct, Fields: fields} }

// IsNumeric says whether t is INT, BIGINT, DECIMAL or DOUBLE.
func (t *Type) IsNumeric() bool {
	return t.Kind == KInt || t.Kind == KBigint || t.Kind == KDecimal || t.Kind == KDouble
}

// IsPrimitive says whether t is neither ARRAY, MAP nor STRUCT.
func (t *Type) IsPrimitive() bool { return t.Kind < KArray || t.Kind == KNull }

// FieldIndex returns the index of the STRUCT field called name (exact match), or -1.
func (t *Type) FieldIndex(name string) int {
	for i, f := range t.Fields {
		if f.Name == name {
			return i
		}
	}
	return -1
}

// Equal says whether two types are the same (field names included).
func (t *Type) Equal(u *Type) bool {
	if t == u {
		return true
	}
	if t == nil || u == nil || t.Kind != u.Kind {
		return false
	}
	switch t.Kind {
	case KDecimal:
		return t.Precision == u.Precision && t.Scale == u.Scale
	case KArray:
		return t.Elem.Equal(u.Elem)
	case KMap:
		return t.Key.Equal(u.Key) && t.Elem.Equal(u.Elem)
	case KStruct:
		if len(t.Fields) != len(u.Fields) {
			return false
		}
		for i := range t.Fields {
			if t.Fields[i].Name != u.Fields[i].Name || !t.Fields[i].Type.Equal(u.Fields[i].Type) {
				return false
			}
		}
	}
	return true
}

// String renders the type as ksqlDB does in schemas, e.g. "MAP<STRING, DECIMAL(4, 2)>",
// "STRUCT<`A` INTEGER>".
func (t *Type) String() string {
	switch t.Kind {
	case KDecimal:
		return "DECIMAL(" + strconv.Itoa(t.Precision) + ", " + strconv.Itoa(t.Scale) + ")"
	case KArray:
		return "ARRAY<" + t.Elem.String() + ">"
	case KMap:
		return "MAP<" + t.Key.String() + ", " + t.Elem.String() + ">"
	case KStruct:
		parts := make([]string, len(t.Fields))
		for i, f := range t.Fields {
			parts[i] = "`" + f.Name + "` " + f.Type.String()
		}
		return "STRUCT<" + strings.Join(parts, ", ") + ">"
	}
	return t.Kind.String()
}

// SQL renders the type as ksqlDB writes it in messages and DESCRIBE: like String but
// with unquoted struct field names, e.g. "STRUCT<A INTEGER>".
func (t *Type) SQL() string {
	switch t.Kind {
	case KArray:
		return "ARRAY<" + t.Elem.SQL() + ">"
	case KMap:
		return "MAP<" + t.Key.SQL() + ", " + t.Elem.SQL() + ">"
	case KStruct:
		parts := make([]string, len(t.Fields))
		for i, f := range t.Fields {
			parts[i] = f.Name + " " + f.Type.SQL()
		}
		return "STRUCT<" + strings.Join(parts, ", ") + ">"
	}
	return t.String()
}

// ContainsMap says whether t is or holds a MAP (in an ARRAY or a STRUCT field): such types
// cannot be keys, as their serialization is not canonical.
func ContainsMap(t *Type) bool {
	if t == nil {
		return false
	}
	switch t.Kind {
	case KMap:
		return true
	case KArray:
		return ContainsMap(t.Elem)
	case KStruct:
		for _, f := range t.Fields {
			if ContainsMap(f.Type) {
				return true
			}
		}
	}
	return false
}
