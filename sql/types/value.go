package types

import (
	"bytes"
	"cmp"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// Date is a DATE value: days since 1970-01-01.
type Date int32

// Time is a TIME value: milliseconds since midnight.
type Time int32

// Timestamp is a TIMESTAMP value: milliseconds since the epoch, UTC.
type Timestamp int64

// Struct is a STRUCT value: Values are in the order of Type.Fields.
type Struct struct {
	Type   *Type
	Values []any
}

// Get returns the value of the field called name, or nil.
func (s *Struct) Get(name string) any {
	if i := s.Type.FieldIndex(name); i >= 0 {
		return s.Values[i]
	}
	return nil
}

// GoTime returns the timestamp as a time.Time in UTC.
func (t Timestamp) GoTime() time.Time { return time.UnixMilli(int64(t)).UTC() }

// GoTime returns midnight UTC of the date.
func (d Date) GoTime() time.Time { return time.Unix(int64(d)*86400, 0).UTC() }

// FormatDouble formats f as Java's Double.toString does (which ksqlDB uses in JSON and in
// CAST to STRING): shortest round-trip digits, at least one fractional digit, scientific
// notation "1.0E20" outside [1e-3, 1e7); large integral values keep the extra digits of
// the JDKs ksqlDB runs on (see javaLongDouble).
func FormatDouble(f float64) string {
	if s, ok := javaLongDouble(f); ok {
		return s
	}
	switch {
	case math.IsNaN(f):
		return "NaN"
	case math.IsInf(f, 1):
		return "Infinity"
	case math.IsInf(f, -1):
		return "-Infinity"
	case f == 0:
		if math.Signbit(f) {
			return "-0.0"
		}
		return "0.0"
	}
	a := math.Abs(f)
	if a >= 1e-3 && a < 1e7 {
		s := strconv.FormatFloat(f, 'f', -1, 64)
		if !strings.Contains(s, ".") {
			s += ".0"
		}
		return s
	}
	s := strconv.FormatFloat(f, 'e', -1, 64) // e.g. 1.2345e+20, 1e-05
	mant, exp, _ := strings.Cut(s, "e")
	if !strings.Contains(mant, ".") {
		// One significant digit: Java writes the closest two-digit decimal (4.9E-324 for
		// the smallest subnormal, whose shortest form is 5e-324).
		s2 := strconv.FormatFloat(f, 'e', 1, 64)
		if g, err := strconv.ParseFloat(s2, 64); err == nil && g == f {
			mant, exp, _ = strings.Cut(s2, "e")
		}
	}
	n, _ := strconv.Atoi(exp)
	return mant + "E" + strconv.Itoa(n)
}

// Compare orders two non-nil values of the same SQL type: -1, 0 or +1. Numbers of
// different Go types are compared numerically. ok is false when they cannot be compared.
func Compare(a, b any) (int, bool) {
	switch x := a.(type) {
	case string:
		if y, ok := b.(string); ok {
			return strings.Compare(x, y), true
		}
	case bool:
		if y, ok := b.(bool); ok {
			switch {
			case x == y:
				return 0, true
			case !x:
				return -1, true
			}
			return 1, true
		}
	case []byte:
		if y, ok := b.([]byte); ok {
			return bytes.Compare(x, y), true
		}
	case Date:
		if y, ok := b.(Date); ok {
			return cmp.Compare(int64(x), int64(y)), true
		}
	case Time:
		if y, ok := b.(Time); ok {
			return cmp.Compare(int64(x), int64(y)), true
		}
	case Timestamp:
		if y, ok := b.(Timestamp); ok {
			return cmp.Compare(int64(x), int64(y)), true
		}
	}
	return compareNumbers(a, b)
}

func compareNumbers(a, b any) (int, bool) {
	ka, kb := numKind(a), numKind(b)
	if ka < 0 || kb < 0 {
		return 0, false
	}
	k := max(ka, kb)
	switch k {
	case 0, 1:
		return cmp.Compare(toI64(a), toI64(b)), true
	case 2:
		return ToDecimal(a).Cmp(ToDecimal(b)), true
	}
	return CompareDoubles(ToFloat(a), ToFloat(b))
}

// CompareDoubles compares two DOUBLEs: -1, 0 or 1, and false when either is NaN (unordered).
func CompareDoubles(x, y float64) (int, bool) {
	switch {
	case x < y:
		return -1, true
	case x > y:
		return 1, true
	case x == y:
		return 0, true
	}
	return 0, false
}

// numKind: 0 int32, 1 int64, 2 decimal, 3 float64, -1 not a number.
func numKind(v any) int {
	switch v.(type) {
	case int32:
		return 0
	case int64:
		return 1
	case Decimal:
		return 2
	case float64:
		return 3
	}
	return -1
}

func toI64(v any) int64 {
	switch x := v.(type) {
	case int32:
		return int64(x)
	case int64:
		return x
	}
	return 0
}

// ToFloat converts a numeric value to float64.
func ToFloat(v any) float64 {
	switch x := v.(type) {
	case int32:
		return float64(x)
	case int64:
		return float64(x)
	case float64:
		return x
	case Decimal:
		return x.Float()
	}
	return math.NaN()
}

// ToDecimal converts an integer or decimal value to Decimal (float64 via its shortest
// decimal form).
func ToDecimal(v any) Decimal {
	switch x := v.(type) {
	case int32:
		return DecimalFromInt(int64(x))
	case int64:
		return DecimalFromInt(x)
	case Decimal:
		return x
	case float64:
		d, err := ParseDecimal(strconv.FormatFloat(x, 'g', -1, 64))
		if err == nil {
			return d
		}
	}
	return Decimal{}
}

// Equal says whether two values are equal (SQL equality for non-null values of comparable
// types; arrays, maps and structs compared deeply).
func Equal(a, b any) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	switch x := a.(type) {
	case []any:
		y, ok := b.([]any)
		if !ok || len(x) != len(y) {
			return false
		}
		for i := range x {
			if !Equal(x[i], y[i]) {
				return false
			}
		}
		return true
	case map[any]any:
		y, ok := b.(map[any]any)
		if !ok || len(x) != len(y) {
			return false
		}
		for k, v := range x {
			w, ok := y[k]
			if !ok || !Equal(v, w) {
				return false
			}
		}
		return true
	case *Struct:
		y, ok := b.(*Struct)
		if !ok || len(x.Values) != len(y.Values) {
			return false
		}
		for i := range x.Values {
			if !Equal(x.Values[i], y.Values[i]) {
				return false
			}
		}
		return true
	}
	c, ok := Compare(a, b)
	return ok && c == 0
}

// TypeOfValue guesses the SQL type of a Go value (for values without a schema, e.g. in
// tests); STRUCT values carry theirs. Collections of unknown element type are typed by
// their first non-nil element, else STRING.
func TypeOfValue(v any) *Type {
	switch x := v.(type) {
	case nil:
		return NULL
	case bool:
		return BOOLEAN
	case int32:
		return INT
	case int64:
		return BIGINT
	case float64:
		return DOUBLE
	case Decimal:
		return DecimalOf(max(x.Precision(), x.Scale), x.Scale)
	case string:
		return STRING
	case []byte:
		return BYTES
	case Date:
		return DATE
	case Time:
		return TIME
	case Timestamp:
		return TIMESTAMP
	case *Struct:
		return x.Type
	case []any:
		for _, e := range x {
			if e != nil {
				return ArrayOf(TypeOfValue(e))
			}
		}
		return ArrayOf(STRING)
	case map[any]any:
		for k, e := range x {
			if e != nil {
				return MapOf(TypeOfValue(k), TypeOfValue(e))
			}
		}
		return MapOf(STRING, STRING)
	}
	panic(fmt.Sprintf("types: %T is not a SQL value", v))
}
