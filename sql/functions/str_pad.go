package functions

import (
	"fmt"
	"strings"
)

// LPAD and RPAD, over STRING (lengths in UTF-16 code units, as Java) and BYTES.

func init() {
	builtinScalars = append(builtinScalars,
		strScalar("LPAD", "STRING",
			"Pads the input string or bytes on the left with padding, repeated as needed, to length; longer input is "+
				"truncated to length. NULL when any argument is NULL, the padding is empty or length is negative.",
			Overload{Params: []string{"STRING", "INT", "STRING"}, Names: []string{"input", "length", "padding"}, Returns: "STRING", NullOnNull: true,
				Impl: func(a []any) (any, error) { return strPadString(a[0].(string), a[1].(int32), a[2].(string), true) }},
			Overload{Params: []string{"BYTES", "INT", "BYTES"}, Names: []string{"input", "length", "padding"}, Returns: "BYTES", NullOnNull: true,
				Impl: func(a []any) (any, error) { return strPadBytes(a[0].([]byte), a[1].(int32), a[2].([]byte), true) }}),
		strScalar("RPAD", "STRING",
			"Pads the input string or bytes on the right with padding, repeated as needed, to length; longer input is "+
				"truncated to length. NULL when any argument is NULL, the padding is empty or length is negative.",
			Overload{Params: []string{"STRING", "INT", "STRING"}, Names: []string{"input", "length", "padding"}, Returns: "STRING", NullOnNull: true,
				Impl: func(a []any) (any, error) { return strPadString(a[0].(string), a[1].(int32), a[2].(string), false) }},
			Overload{Params: []string{"BYTES", "INT", "BYTES"}, Names: []string{"input", "length", "padding"}, Returns: "BYTES", NullOnNull: true,
				Impl: func(a []any) (any, error) { return strPadBytes(a[0].([]byte), a[1].(int32), a[2].([]byte), false) }}),
	)
}

func strPadLenErr(n int32) error {
	return fmt.Errorf("target length %d is too large (at most %d)", n, strMaxLen)
}

// strPadString is ksqlDB's LPAD/RPAD on strings.
func strPadString(in string, length int32, pad string, left bool) (any, error) {
	if pad == "" || length < 0 {
		return nil, nil
	}
	if length > strMaxLen {
		return nil, strPadLenErr(length)
	}
	n := int(length)
	if strIsASCII(in) && strIsASCII(pad) {
		if len(in) >= n {
			return in[:n], nil
		}
		fill := strings.Repeat(pad, (n-len(in))/len(pad)+1)[:n-len(in)]
		if left {
			return fill + in, nil
		}
		return in + fill, nil
	}
	u, p := strUnits(in), strUnits(pad)
	if len(u) >= n {
		return strFromUnits(u[:n]), nil
	}
	fill := make([]uint16, 0, n-len(u))
	for len(fill) < n-len(u) {
		fill = append(fill, p[:min(len(p), n-len(u)-len(fill))]...)
	}
	if left {
		return strFromUnits(append(fill, u...)), nil
	}
	return strFromUnits(append(u, fill...)), nil
}

// strPadBytes is ksqlDB's LPAD/RPAD on bytes.
func strPadBytes(in []byte, length int32, pad []byte, left bool) (any, error) {
	if len(pad) == 0 || length < 0 {
		return nil, nil
	}
	if length > strMaxLen {
		return nil, strPadLenErr(length)
	}
	n := int(length)
	if len(in) >= n {
		return append([]byte{}, in[:n]...), nil
	}
	out := make([]byte, 0, n)
	if !left {
		out = append(out, in...)
	}
	for fill := n - len(in); fill > 0; {
		k := min(len(pad), fill)
		out = append(out, pad[:k]...)
		fill -= k
	}
	if left {
		out = append(out, in...)
	}
	return out, nil
}
