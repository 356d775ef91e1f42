// Package types holds ksqlDB's SQL types and the Go values that carry them through
// ksqlgo's SQL engine.
//
// Values: a SQL value is a Go `any` whose dynamic type is fixed by its SQL type:
//
//	BOOLEAN   bool
//	INT       int32
//	BIGINT    int64
//	DOUBLE    float64
//	DECIMAL   Decimal (exact: unscaled big.Int and a scale, like Java's BigDecimal)
//	STRING    string
//	BYTES     []byte
//	DATE      Date (days since the epoch)
//	TIME      Time (milliseconds of the day)
//	TIMESTAMP Timestamp (milliseconds since the epoch, UTC)
//	ARRAY     []any
//	MAP       map[any]any (keys are values of the key type; never DECIMAL, ARRAY, MAP, STRUCT)
//	STRUCT    *Struct (the field values in the order of the type's fields)
//
// and nil is SQL NULL for every type. A row is a []any in the order of its schema's
// columns.
//
// Imports: the standard library only.
package types
