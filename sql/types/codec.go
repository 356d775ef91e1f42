package types

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"math/big"
	"slices"
)

// The binary value codec: a compact, self-describing encoding of SQL values, used to
// persist aggregate states and internal rows. It is not a wire format shared with ksqlDB;
// its only promise is that ReadValue(AppendValue(nil, v)) == v exactly, Go types included
// (int32 vs int64, Date vs Time vs Timestamp, the scale of a Decimal, the field names and
// field types of a struct).
//
// Layout: one tag byte per value, then its payload. Integers are zig-zag varints, lengths
// and counts unsigned varints, DOUBLE the 8 little-endian bytes of its IEEE-754 bits. A
// STRUCT carries its type (kind bytes, varints and field names) before its values. Map
// entries are written sorted by their encoded keys, so equal maps encode to equal bytes.

// Value tags.
const (
	tagNull byte = iota
	tagFalse
	tagTrue
	tagInt       // int32: varint
	tagBigint    // int64: varint
	tagDouble    // float64: 8 bytes LE
	tagDecimal   // Decimal with an int64 unscaled value: varint scale, varint unscaled
	tagBigDec    // Decimal: varint scale, uvarint len<<1|neg, magnitude bytes (big-endian)
	tagString    // uvarint len, bytes
	tagBytes     // uvarint len, bytes
	tagDate      // varint
	tagTime      // varint
	tagTimestamp // varint
	tagArray     // uvarint n, n values
	tagMap       // uvarint n, n (key, value) pairs
	tagStruct    // type, uvarint n, n values
	tagCount
)

// maxCodecDepth bounds the nesting of decoded values and types, so hostile input cannot
// exhaust the stack.
const maxCodecDepth = 512

// errTruncated is returned for input that ends inside a value.
var errTruncated = errors.New("decode value: truncated input")

// AppendValue appends the encoding of the SQL value v to dst and returns the extended
// slice. v must be nil or one of the Go types listed in the package documentation
// (nested: []any, map[any]any, *Struct); any other type is a broken invariant and panics,
// as TypeOfValue does. A nil []byte, []any, map or *Struct encodes as an empty value of its
// kind (a nil *Struct as NULL). Map keys must be valid SQL map keys (primitives other than
// DECIMAL and BYTES, no NaN); ReadValue rejects maps with any other key.
func AppendValue(dst []byte, v any) []byte {
	switch x := v.(type) {
	case nil:
		return append(dst, tagNull)
	case bool:
		if x {
			return append(dst, tagTrue)
		}
		return append(dst, tagFalse)
	case int32:
		return binary.AppendVarint(append(dst, tagInt), int64(x))
	case int64:
		return binary.AppendVarint(append(dst, tagBigint), x)
	case float64:
		return binary.LittleEndian.AppendUint64(append(dst, tagDouble), math.Float64bits(x))
	case Decimal:
		return appendDecimal(dst, x)
	case string:
		dst = binary.AppendUvarint(append(dst, tagString), uint64(len(x)))
		return append(dst, x...)
	case []byte:
		dst = binary.AppendUvarint(append(dst, tagBytes), uint64(len(x)))
		return append(dst, x...)
	case Date:
		return binary.AppendVarint(append(dst, tagDate), int64(x))
	case Time:
		return binary.AppendVarint(append(dst, tagTime), int64(x))
	case Timestamp:
		return binary.AppendVarint(append(dst, tagTimestamp), int64(x))
	case []any:
		dst = binary.AppendUvarint(append(dst, tagArray), uint64(len(x)))
		for _, e := range x {
			dst = AppendValue(dst, e)
		}
		return dst
	case map[any]any:
		return appendMap(dst, x)
	case *Struct:
		if x == nil {
			return append(dst, tagNull)
		}
		dst = appendType(append(dst, tagStruct), x.Type)
		dst = binary.AppendUvarint(dst, uint64(len(x.Values)))
		for _, e := range x.Values {
			dst = AppendValue(dst, e)
		}
		return dst
	}
	panic(fmt.Sprintf("types: %T is not a SQL value", v))
}

func appendDecimal(dst []byte, d Decimal) []byte {
	u := d.unscaled()
	if u.IsInt64() {
		dst = binary.AppendVarint(append(dst, tagDecimal), int64(d.Scale))
		return binary.AppendVarint(dst, u.Int64())
	}
	dst = binary.AppendVarint(append(dst, tagBigDec), int64(d.Scale))
	mag := u.Bytes() // absolute value, big-endian
	n := uint64(len(mag)) << 1
	if u.Sign() < 0 {
		n |= 1
	}
	dst = binary.AppendUvarint(dst, n)
	return append(dst, mag...)
}

func appendMap(dst []byte, m map[any]any) []byte {
	dst = binary.AppendUvarint(append(dst, tagMap), uint64(len(m)))
	switch len(m) {
	case 0:
		return dst
	case 1:
		for k, v := range m {
			dst = AppendValue(dst, k)
			dst = AppendValue(dst, v)
		}
		return dst
	}
	// Sort the entries by their encoded keys so that the encoding is deterministic.
	type entry struct {
		key []byte
		val any
	}
	var scratch []byte
	entries := make([]entry, 0, len(m))
	for k, v := range m {
		start := len(scratch)
		scratch = AppendValue(scratch, k)
		entries = append(entries, entry{key: scratch[start:len(scratch):len(scratch)], val: v})
	}
	slices.SortFunc(entries, func(a, b entry) int { return bytes.Compare(a.key, b.key) })
	for _, e := range entries {
		dst = append(dst, e.key...)
		dst = AppendValue(dst, e.val)
	}
	return dst
}

// appendType appends a type: its kind byte, then DECIMAL precision and scale, ARRAY element,
// MAP key and value, or STRUCT field count and (name, type) pairs.
func appendType(dst []byte, t *Type) []byte {
	if t == nil {
		return append(dst, byte(KNull))
	}
	dst = append(dst, byte(t.Kind))
	switch t.Kind {
	case KDecimal:
		dst = binary.AppendVarint(dst, int64(t.Precision))
		dst = binary.AppendVarint(dst, int64(t.Scale))
	case KArray:
		dst = appendType(dst, t.Elem)
	case KMap:
		dst = appendType(dst, t.Key)
		dst = appendType(dst, t.Elem)
	case KStruct:
		dst = binary.AppendUvarint(dst, uint64(len(t.Fields)))
		for _, f := range t.Fields {
			dst = binary.AppendUvarint(dst, uint64(len(f.Name)))
			dst = append(dst, f.Name...)
			dst = appendType(dst, f.Type)
		}
	}
	return dst
}

// ReadValue decodes one value written by AppendValue from the front of b and returns it
// with the bytes that follow it. Malformed or truncated input is an error, never a panic.
// Strings and byte slices are copied, so b may be reused afterwards.
func ReadValue(b []byte) (v any, rest []byte, err error) {
	return readValue(b, 0)
}

func readValue(b []byte, depth int) (any, []byte, error) {
	if len(b) == 0 {
		return nil, nil, errTruncated
	}
	if depth > maxCodecDepth {
		return nil, nil, fmt.Errorf("decode value: nesting deeper than %d", maxCodecDepth)
	}
	tag, b := b[0], b[1:]
	switch tag {
	case tagNull:
		return nil, b, nil
	case tagFalse:
		return false, b, nil
	case tagTrue:
		return true, b, nil
	case tagInt:
		n, b, err := readVarint(b)
		if err != nil {
			return nil, nil, err
		}
		if n < math.MinInt32 || n > math.MaxInt32 {
			return nil, nil, fmt.Errorf("decode value: INT %d out of range", n)
		}
		return int32(n), b, nil
	case tagBigint:
		n, b, err := readVarint(b)
		if err != nil {
			return nil, nil, err
		}
		return n, b, nil
	case tagDouble:
		if len(b) < 8 {
			return nil, nil, errTruncated
		}
		return math.Float64frombits(binary.LittleEndian.Uint64(b)), b[8:], nil
	case tagDecimal:
		scale, b, err := readScale(b)
		if err != nil {
			return nil, nil, err
		}
		u, b, err := readVarint(b)
		if err != nil {
			return nil, nil, err
		}
		return Decimal{Unscaled: big.NewInt(u), Scale: scale}, b, nil
	case tagBigDec:
		scale, b, err := readScale(b)
		if err != nil {
			return nil, nil, err
		}
		n, b, err := readUvarint(b)
		if err != nil {
			return nil, nil, err
		}
		size := n >> 1
		if uint64(len(b)) < size {
			return nil, nil, errTruncated
		}
		u := new(big.Int).SetBytes(b[:size])
		if n&1 == 1 {
			u.Neg(u)
		}
		return Decimal{Unscaled: u, Scale: scale}, b[size:], nil
	case tagString:
		s, b, err := readBytes(b)
		if err != nil {
			return nil, nil, err
		}
		return string(s), b, nil
	case tagBytes:
		s, b, err := readBytes(b)
		if err != nil {
			return nil, nil, err
		}
		return append(make([]byte, 0, len(s)), s...), b, nil
	case tagDate, tagTime:
		n, b, err := readVarint(b)
		if err != nil {
			return nil, nil, err
		}
		if n < math.MinInt32 || n > math.MaxInt32 {
			return nil, nil, fmt.Errorf("decode value: DATE or TIME %d out of range", n)
		}
		if tag == tagDate {
			return Date(n), b, nil
		}
		return Time(n), b, nil
	case tagTimestamp:
		n, b, err := readVarint(b)
		if err != nil {
			return nil, nil, err
		}
		return Timestamp(n), b, nil
	case tagArray:
		n, b, err := readLen(b, 1)
		if err != nil {
			return nil, nil, err
		}
		arr := make([]any, n)
		for i := range arr {
			if arr[i], b, err = readValue(b, depth+1); err != nil {
				return nil, nil, err
			}
		}
		return arr, b, nil
	case tagMap:
		n, b, err := readLen(b, 2)
		if err != nil {
			return nil, nil, err
		}
		m := make(map[any]any, n)
		for range n {
			var k, v any
			if k, b, err = readValue(b, depth+1); err != nil {
				return nil, nil, err
			}
			if !validMapKey(k) {
				return nil, nil, fmt.Errorf("decode value: invalid map key of type %T", k)
			}
			if v, b, err = readValue(b, depth+1); err != nil {
				return nil, nil, err
			}
			m[k] = v
		}
		return m, b, nil
	case tagStruct:
		t, b, err := readType(b, depth+1)
		if err != nil {
			return nil, nil, err
		}
		if t.Kind != KStruct {
			return nil, nil, fmt.Errorf("decode value: struct of type %s", t.Kind)
		}
		n, b, err := readLen(b, 1)
		if err != nil {
			return nil, nil, err
		}
		s := &Struct{Type: t, Values: make([]any, n)}
		for i := range s.Values {
			if s.Values[i], b, err = readValue(b, depth+1); err != nil {
				return nil, nil, err
			}
		}
		return s, b, nil
	}
	return nil, nil, fmt.Errorf("decode value: unknown tag %d", tag)
}

// validMapKey says whether k can key a SQL map: a primitive other than DECIMAL and BYTES,
// and not NaN (which no lookup finds).
func validMapKey(k any) bool {
	switch x := k.(type) {
	case []byte, []any, map[any]any, Decimal, *Struct:
		return false
	case float64:
		return !math.IsNaN(x)
	}
	return true
}

func readType(b []byte, depth int) (*Type, []byte, error) {
	if len(b) == 0 {
		return nil, nil, errTruncated
	}
	if depth > maxCodecDepth {
		return nil, nil, fmt.Errorf("decode type: nesting deeper than %d", maxCodecDepth)
	}
	k, b := Kind(b[0]), b[1:]
	var err error
	switch k {
	case KBoolean:
		return BOOLEAN, b, nil
	case KInt:
		return INT, b, nil
	case KBigint:
		return BIGINT, b, nil
	case KDouble:
		return DOUBLE, b, nil
	case KString:
		return STRING, b, nil
	case KBytes:
		return BYTES, b, nil
	case KDate:
		return DATE, b, nil
	case KTime:
		return TIME, b, nil
	case KTimestamp:
		return TIMESTAMP, b, nil
	case KNull:
		return NULL, b, nil
	case KDecimal:
		var p, s int64
		if p, b, err = readVarint(b); err != nil {
			return nil, nil, err
		}
		if s, b, err = readVarint(b); err != nil {
			return nil, nil, err
		}
		if p < math.MinInt32 || p > math.MaxInt32 || s < math.MinInt32 || s > math.MaxInt32 {
			return nil, nil, fmt.Errorf("decode type: DECIMAL(%d, %d) out of range", p, s)
		}
		return DecimalOf(int(p), int(s)), b, nil
	case KArray:
		var e *Type
		if e, b, err = readType(b, depth+1); err != nil {
			return nil, nil, err
		}
		return ArrayOf(e), b, nil
	case KMap:
		var kt, vt *Type
		if kt, b, err = readType(b, depth+1); err != nil {
			return nil, nil, err
		}
		if vt, b, err = readType(b, depth+1); err != nil {
			return nil, nil, err
		}
		return MapOf(kt, vt), b, nil
	case KStruct:
		var n uint64
		if n, b, err = readLen(b, 2); err != nil {
			return nil, nil, err
		}
		fields := make([]Field, n)
		for i := range fields {
			var name []byte
			if name, b, err = readBytes(b); err != nil {
				return nil, nil, err
			}
			fields[i].Name = string(name)
			if fields[i].Type, b, err = readType(b, depth+1); err != nil {
				return nil, nil, err
			}
		}
		return StructOf(fields...), b, nil
	}
	return nil, nil, fmt.Errorf("decode type: unknown kind %d", k)
}

func readVarint(b []byte) (int64, []byte, error) {
	n, size := binary.Varint(b)
	if size <= 0 {
		if size == 0 {
			return 0, nil, errTruncated
		}
		return 0, nil, errors.New("decode value: varint overflows 64 bits")
	}
	return n, b[size:], nil
}

func readScale(b []byte) (int, []byte, error) {
	n, b, err := readVarint(b)
	if err != nil {
		return 0, nil, err
	}
	if n < math.MinInt32 || n > math.MaxInt32 {
		return 0, nil, fmt.Errorf("decode value: decimal scale %d out of range", n)
	}
	return int(n), b, nil
}

func readUvarint(b []byte) (uint64, []byte, error) {
	n, size := binary.Uvarint(b)
	if size <= 0 {
		if size == 0 {
			return 0, nil, errTruncated
		}
		return 0, nil, errors.New("decode value: length overflows 64 bits")
	}
	return n, b[size:], nil
}

// readLen reads a count of items that take at least minSize bytes each, rejecting counts
// the rest of the input cannot hold (so a hostile count cannot allocate much).
func readLen(b []byte, minSize uint64) (uint64, []byte, error) {
	n, b, err := readUvarint(b)
	if err != nil {
		return 0, nil, err
	}
	if n > uint64(len(b))/minSize {
		return 0, nil, errTruncated
	}
	return n, b, nil
}

func readBytes(b []byte) ([]byte, []byte, error) {
	n, b, err := readUvarint(b)
	if err != nil {
		return nil, nil, err
	}
	if n > uint64(len(b)) {
		return nil, nil, errTruncated
	}
	return b[:n], b[n:], nil
}

// EncodeRow encodes a row: its length, then each value as AppendValue does.
func EncodeRow(row []any) []byte {
	dst := make([]byte, 0, 1+8*len(row))
	dst = binary.AppendUvarint(dst, uint64(len(row)))
	for _, v := range row {
		dst = AppendValue(dst, v)
	}
	return dst
}

// DecodeRow decodes a row written by EncodeRow. Malformed, truncated or over-long input is
// an error, never a panic; b is not retained.
func DecodeRow(b []byte) ([]any, error) {
	n, b, err := readLen(b, 1)
	if err != nil {
		return nil, fmt.Errorf("decode row: %w", err)
	}
	row := make([]any, n)
	for i := range row {
		if row[i], b, err = readValue(b, 0); err != nil {
			return nil, fmt.Errorf("decode row column %d: %w", i, err)
		}
	}
	if len(b) != 0 {
		return nil, fmt.Errorf("decode row: %d bytes after the last column", len(b))
	}
	return row, nil
}
