package types

import (
	"math"
	"strconv"
	"strings"
)

// javaLongDouble formats an integer-valued f with 2^53 <= |f| < 2^63 as Double.toString
// does on the JVMs ksqlDB runs on (before JDK 19): such a double takes FloatingDecimal's
// "long" path, which writes the exact integer with only as many low digits dropped
// (rounding half up) as the power of two above the 53 significant bits allows, so it may
// write more digits than the shortest round trip (2^62 is "4.6116860184273879E18", not
// "4.611686018427388E18"). ok is false for any other f.
func javaLongDouble(f float64) (s string, ok bool) {
	a := math.Abs(f)
	if a < 1<<53 || a >= 1<<63 || a != math.Trunc(a) {
		return "", false
	}
	binExp := int(math.Float64bits(a)>>52&0x7ff) - 1023
	// FloatingDecimal.insignificantDigitsForPow2(binExp - 53 - 1); its table is 0 below
	// index 4, then 1, 1, 1, 2, 2 up to index 8 (binExp 62).
	insignificant := 0
	switch p2 := binExp - 54; {
	case p2 >= 7:
		insignificant = 2
	case p2 >= 4:
		insignificant = 1
	}
	v := uint64(a)
	if insignificant > 0 {
		pow := uint64(1)
		for range insignificant {
			pow *= 10
		}
		residue := v % pow
		v /= pow
		if residue >= pow/2 {
			v++
		}
	}
	digits := strconv.FormatUint(v, 10)
	exp := len(digits) - 1 + insignificant
	digits = strings.TrimRight(digits, "0")
	frac := digits[1:]
	if frac == "" {
		frac = "0"
	}
	s = digits[:1] + "." + frac + "E" + strconv.Itoa(exp)
	if f < 0 {
		s = "-" + s
	}
	return s, true
}
