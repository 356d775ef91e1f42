package qtt

import (
	"fmt"
	"math"
	"math/big"
	"strconv"
	"strings"
)

// Decimal is an exact decimal number like Java's BigDecimal: the value is
// Unscaled * 10^-Scale, and the scale is part of the identity ("1.50" has Unscaled 150
// and Scale 2 and is not Equal to "1.5"). A nil Unscaled means zero. Decimals are
// values; the package never mutates an Unscaled it did not create.
type Decimal struct {
	Unscaled *big.Int
	Scale    int32
}

// ParseDecimal parses s as Java's new BigDecimal(String) does: an optional sign,
// digits with an optional decimal point, and an optional exponent. The scale is the
// number of fraction digits minus the exponent: "1.50" -> (150, 2), "1.0E20" -> (10,
// -19), "1E+3" -> (1, -3).
func ParseDecimal(s string) (Decimal, error) {
	mant, exp := s, int64(0)
	if i := strings.IndexAny(s, "eE"); i >= 0 {
		mant = s[:i]
		e, err := strconv.ParseInt(s[i+1:], 10, 64)
		if err != nil || s[i+1:] == "" {
			return Decimal{}, fmt.Errorf("parse decimal %q: bad exponent", s)
		}
		exp = e
	}
	sign := ""
	if mant != "" && (mant[0] == '+' || mant[0] == '-') {
		if mant[0] == '-' {
			sign = "-"
		}
		mant = mant[1:]
	}
	intPart, frac, _ := strings.Cut(mant, ".")
	digits := intPart + frac
	if digits == "" || strings.Trim(digits, "0123456789") != "" {
		return Decimal{}, fmt.Errorf("parse decimal %q: not a number", s)
	}
	scale := int64(len(frac)) - exp
	if scale < math.MinInt32 || scale > math.MaxInt32 {
		return Decimal{}, fmt.Errorf("parse decimal %q: scale out of range", s)
	}
	u, ok := new(big.Int).SetString(sign+digits, 10)
	if !ok {
		return Decimal{}, fmt.Errorf("parse decimal %q: not a number", s)
	}
	return Decimal{Unscaled: u, Scale: int32(scale)}, nil
}

// MustParseDecimal is ParseDecimal for literals known to be valid; it panics otherwise.
func MustParseDecimal(s string) Decimal {
	d, err := ParseDecimal(s)
	if err != nil {
		panic(err)
	}
	return d
}

func (d Decimal) unscaled() *big.Int {
	if d.Unscaled == nil {
		return new(big.Int)
	}
	return d.Unscaled
}

// Rat returns the decimal's exact value.
func (d Decimal) Rat() *big.Rat {
	r := new(big.Rat).SetInt(d.unscaled())
	p := new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(abs32(d.Scale))), nil)
	if d.Scale > 0 {
		return r.Quo(r, new(big.Rat).SetInt(p))
	}
	return r.Mul(r, new(big.Rat).SetInt(p))
}

func abs32(v int32) int64 {
	if v < 0 {
		return -int64(v)
	}
	return int64(v)
}

// Cmp compares the values of d and o, ignoring scale (Java compareTo).
func (d Decimal) Cmp(o Decimal) int { return d.Rat().Cmp(o.Rat()) }

// Equal reports whether d and o have the same value and the same scale (Java equals).
func (d Decimal) Equal(o Decimal) bool {
	return d.Scale == o.Scale && d.unscaled().Cmp(o.unscaled()) == 0
}

// String renders d like Java's BigDecimal.toString: plain notation when the scale is
// not negative and the adjusted exponent is at least -6, scientific otherwise
// ("1.50", "0.000001", "1E-7", "1.0E+20").
func (d Decimal) String() string {
	u := d.unscaled()
	digits := new(big.Int).Abs(u).String()
	sign := ""
	if u.Sign() < 0 {
		sign = "-"
	}
	scale := int64(d.Scale)
	if scale == 0 {
		return sign + digits
	}
	adjusted := -scale + int64(len(digits)-1)
	if scale > 0 && adjusted >= -6 {
		if n := int64(len(digits)); n > scale {
			return sign + digits[:n-scale] + "." + digits[n-scale:]
		}
		return sign + "0." + strings.Repeat("0", int(scale)-len(digits)) + digits
	}
	s := sign + digits[:1]
	if len(digits) > 1 {
		s += "." + digits[1:]
	}
	if adjusted != 0 {
		s += "E"
		if adjusted > 0 {
			s += "+"
		}
		s += strconv.FormatInt(adjusted, 10)
	}
	return s
}

// Int64 returns d's value as an int64 when it has no fractional part and fits.
func (d Decimal) Int64() (int64, bool) {
	r := d.Rat()
	if !r.IsInt() || !r.Num().IsInt64() {
		return 0, false
	}
	return r.Num().Int64(), true
}

// doubleDecimal returns the decimal that Java's Double.toString(f) writes: the
// shortest digits that round-trip, with at least one fractional digit ("2.0",
// "1.0E20"). ok is false for NaN and infinities.
func doubleDecimal(f float64) (Decimal, bool) {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return Decimal{}, false
	}
	s := strconv.FormatFloat(f, 'e', -1, 64) // d.ddde±x, shortest round-trip digits
	if abs := math.Abs(f); abs >= 1e-3 && abs < 1e7 || f == 0 {
		// Plain layout: the digits placed by the exponent, at least one fraction digit.
		d := MustParseDecimal(s)
		if d.Scale < 1 {
			d = Decimal{Unscaled: new(big.Int).Mul(d.unscaled(), pow10(1-int64(d.Scale))), Scale: 1}
		}
		return d, true
	}
	// Scientific layout: one digit, '.', at least one more digit, exponent.
	mant, exp, _ := strings.Cut(s, "e")
	if !strings.Contains(mant, ".") {
		mant += ".0"
	}
	return MustParseDecimal(mant + "E" + exp), true
}

func pow10(n int64) *big.Int { return new(big.Int).Exp(big.NewInt(10), big.NewInt(n), nil) }
