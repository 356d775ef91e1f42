package format

import (
	"fmt"
	"math"
	"math/big"
	"strconv"
	"strings"

	"github.com/ksqlgo/ksqlgo/sql/types"
)

// Number handling as ksqlDB's JVM does it: Java's parsers for text (Integer.parseInt,
// Long.parseLong, Double.parseDouble, new BigDecimal(String)), BigDecimal.toString for
// text output, and the truncating narrowing of Jackson's NumericNode.intValue/asLong.
// Every helper is bounded: exponents and digit counts of hostile input never drive a
// computation whose cost grows with the exponent.

// maxNumberLen is the longest number literal accepted, as Jackson's default
// StreamReadConstraints (1000 characters).
const maxNumberLen = 1000

// parseJavaInt parses s as Integer.parseInt (bits 32) or Long.parseLong (bits 64): an
// optional sign and ASCII digits, in range.
func parseJavaInt(s string, bits int) (int64, bool) {
	n, err := strconv.ParseInt(s, 10, bits)
	return n, err == nil
}

// parseJavaBoolean parses s as Boolean.parseBoolean: "true" in any case is true,
// anything else false.
func parseJavaBoolean(s string) bool { return strings.EqualFold(s, "true") }

// parseJavaDouble parses s as Double.parseDouble: surrounding characters <= ' ' are
// trimmed; then an optional sign and NaN, Infinity, a decimal number (digits with an
// optional point and exponent) or a hexadecimal one (0x...p...), optionally followed by one
// of f, F, d, D. Out-of-range values become infinities or zero, as in Java.
func parseJavaDouble(s string) (float64, bool) {
	s = trimJava(s)
	if len(s) > maxNumberLen {
		return 0, false
	}
	body := s
	if body != "" && (body[0] == '+' || body[0] == '-') {
		body = body[1:]
	}
	switch body {
	case "NaN":
		return math.NaN(), true
	case "Infinity":
		if s[0] == '-' {
			return math.Inf(-1), true
		}
		return math.Inf(1), true
	}
	if n := len(s); n > 0 {
		switch s[n-1] {
		case 'f', 'F', 'd', 'D':
			s, body = s[:n-1], body[:len(body)-1]
		}
	}
	var ok bool
	if len(body) > 1 && body[0] == '0' && (body[1] == 'x' || body[1] == 'X') {
		ok = validHexFloat(body[2:])
	} else {
		_, _, _, ok = scanDecimal(body)
	}
	if !ok {
		return 0, false
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		if ne, isNum := err.(*strconv.NumError); !isNum || ne.Err != strconv.ErrRange {
			return 0, false
		}
	}
	return f, true
}

// trimJava trims as String.trim: every leading and trailing character <= ' '.
func trimJava(s string) string {
	i, j := 0, len(s)
	for i < j && s[i] <= ' ' {
		i++
	}
	for j > i && s[j-1] <= ' ' {
		j--
	}
	return s[i:j]
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

func isHexDigit(c byte) bool {
	return isDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')
}

// validHexFloat checks the part after "0x" of a Java hexadecimal floating literal: hex
// digits with an optional point (at least one digit), then p or P, an optional sign and
// decimal digits.
func validHexFloat(s string) bool {
	i, digits := 0, 0
	for i < len(s) && isHexDigit(s[i]) {
		i, digits = i+1, digits+1
	}
	if i < len(s) && s[i] == '.' {
		i++
		for i < len(s) && isHexDigit(s[i]) {
			i, digits = i+1, digits+1
		}
	}
	if digits == 0 || i >= len(s) || (s[i] != 'p' && s[i] != 'P') {
		return false
	}
	i++
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		i++
	}
	if i >= len(s) {
		return false
	}
	for ; i < len(s); i++ {
		if !isDigit(s[i]) {
			return false
		}
	}
	return true
}

// scanDecimal checks an unsigned decimal literal as Java's BigDecimal and Double parsers
// accept it - digits with an optional point (at least one digit on either side), then an
// optional exponent - and returns its integer digits, fraction digits and exponent.
func scanDecimal(s string) (intPart, frac string, exp int64, ok bool) {
	i := 0
	for i < len(s) && isDigit(s[i]) {
		i++
	}
	intPart = s[:i]
	if i < len(s) && s[i] == '.' {
		j := i + 1
		for j < len(s) && isDigit(s[j]) {
			j++
		}
		frac, i = s[i+1:j], j
	}
	if intPart == "" && frac == "" {
		return "", "", 0, false
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		neg := false
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			neg = s[i] == '-'
			i++
		}
		if i >= len(s) {
			return "", "", 0, false
		}
		for ; i < len(s); i++ {
			if !isDigit(s[i]) {
				return "", "", 0, false
			}
			if exp < math.MaxInt32 {
				exp = exp*10 + int64(s[i]-'0')
			}
		}
		if neg {
			exp = -exp
		}
	}
	if i != len(s) {
		return "", "", 0, false
	}
	return intPart, frac, exp, true
}

// parseJavaDecimal parses s as new BigDecimal(String): an optional sign, digits with an
// optional point and an optional exponent; the scale is the number of fraction digits
// minus the exponent and must fit an int32, as in Java.
func parseJavaDecimal(s string) (types.Decimal, bool) {
	if s == "" || len(s) > maxNumberLen {
		return types.Decimal{}, false
	}
	neg := false
	body := s
	if body[0] == '+' || body[0] == '-' {
		neg = body[0] == '-'
		body = body[1:]
	}
	intPart, frac, exp, ok := scanDecimal(body)
	if !ok {
		return types.Decimal{}, false
	}
	scale := int64(len(frac)) - exp
	if scale < math.MinInt32 || scale > math.MaxInt32 {
		return types.Decimal{}, false
	}
	digits := intPart + frac
	var u *big.Int
	if len(digits) <= 18 {
		n, _ := strconv.ParseInt(digits, 10, 64)
		u = big.NewInt(n)
	} else if u, ok = new(big.Int).SetString(digits, 10); !ok {
		return types.Decimal{}, false
	}
	if neg {
		u.Neg(u)
	}
	return types.Decimal{Unscaled: u, Scale: int(scale)}, true
}

// decimalDigits returns the number of decimal digits of d's unscaled value (1 for zero),
// as BigDecimal.precision.
func decimalDigits(d types.Decimal) int {
	u := d.Unscaled
	if u == nil || u.Sign() == 0 {
		return 1
	}
	if u.IsInt64() {
		n := u.Int64()
		if n < 0 {
			if n == math.MinInt64 {
				return 19
			}
			n = -n
		}
		digits := 1
		for n >= 10 {
			n /= 10
			digits++
		}
		return digits
	}
	s := u.String()
	if s[0] == '-' {
		return len(s) - 1
	}
	return len(s)
}

// javaDecimalString formats d as BigDecimal.toString: plain notation when the scale is not
// negative and the adjusted exponent is at least -6, else scientific ("1E+5", "1.5E-7",
// "0E-8").
func javaDecimalString(d types.Decimal) string {
	u := d.Unscaled
	if u == nil {
		u = new(big.Int)
	}
	coeff := new(big.Int).Abs(u).String()
	adjusted := -int64(d.Scale) + int64(len(coeff)-1)
	if d.Scale >= 0 && adjusted >= -6 {
		return d.String()
	}
	var sb strings.Builder
	if u.Sign() < 0 {
		sb.WriteByte('-')
	}
	sb.WriteByte(coeff[0])
	if len(coeff) > 1 {
		sb.WriteByte('.')
		sb.WriteString(coeff[1:])
	}
	if adjusted != 0 {
		sb.WriteByte('E')
		if adjusted > 0 {
			sb.WriteByte('+')
		}
		sb.WriteString(strconv.FormatInt(adjusted, 10))
	}
	return sb.String()
}

var mask64 = new(big.Int).SetUint64(math.MaxUint64)

// truncLow64 returns the integer part of d (truncated toward zero) reduced to its low 64
// bits in two's complement, as BigDecimal.longValue (and, narrowed to int32 by the caller,
// intValue).
func truncLow64(d types.Decimal) int64 {
	u := d.Unscaled
	if u == nil || u.Sign() == 0 {
		return 0
	}
	var q *big.Int
	switch {
	case d.Scale == 0:
		q = u
	case d.Scale < 0:
		if d.Scale <= -64 { // a multiple of 10^64, hence of 2^64
			return 0
		}
		q = new(big.Int).Mul(u, pow10(-d.Scale))
	default:
		if d.Scale > u.BitLen()/3+2 { // |d| < 1
			return 0
		}
		q = new(big.Int).Quo(u, pow10(d.Scale))
	}
	if q.IsInt64() {
		return q.Int64()
	}
	return int64(new(big.Int).And(q, mask64).Uint64())
}

func pow10(n int) *big.Int { return new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(n)), nil) }

// fitDecimal fits d into DECIMAL(precision, scale) as ksqlDB's DecimalUtil.ensureFit: an
// absolute value of at least 10^(precision-scale) is an overflow error, otherwise d is
// rescaled to scale rounding HALF_UP.
func fitDecimal(d types.Decimal, precision, scale int) (types.Decimal, error) {
	if d.Unscaled == nil || d.Unscaled.Sign() == 0 {
		return types.Decimal{Unscaled: new(big.Int), Scale: scale}, nil
	}
	digits := decimalDigits(d)
	intDigits := int64(digits) - int64(d.Scale)
	if intDigits > int64(precision-scale) {
		got := javaDecimalString(d)
		if d.Scale >= -100 && d.Scale <= 100 {
			got = d.String()
		}
		return types.Decimal{}, fmt.Errorf("Numeric field overflow: A field with precision %d and scale %d "+
			"must round to an absolute value less than 10^%d. Got %s", precision, scale, precision-scale, got)
	}
	if int64(d.Scale)-int64(scale) > int64(digits)+1 { // |d| < 0.5 * 10^-scale
		return types.Decimal{Unscaled: new(big.Int), Scale: scale}, nil
	}
	return d.Rescale(scale), nil
}
