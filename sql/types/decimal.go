package types

import (
	"fmt"
	"math"
	"math/big"
	"strconv"
	"strings"
)

// Decimal is an exact decimal number: Unscaled x 10^-Scale, like Java's BigDecimal. The
// zero Decimal (nil Unscaled) is 0 with scale 0. Decimals are values: operations return new
// ones and never modify their operands.
type Decimal struct {
	Unscaled *big.Int
	Scale    int
}

var bigTen = big.NewInt(10)

func pow10(n int) *big.Int { return new(big.Int).Exp(bigTen, big.NewInt(int64(n)), nil) }

func (d Decimal) unscaled() *big.Int {
	if d.Unscaled == nil {
		return new(big.Int)
	}
	return d.Unscaled
}

// NewDecimal returns unscaled x 10^-scale.
func NewDecimal(unscaled int64, scale int) Decimal {
	return Decimal{Unscaled: big.NewInt(unscaled), Scale: scale}
}

// ParseDecimal reads a decimal literal such as "-1.50", ".5", "1E3" keeping its scale
// ("1.50" has scale 2; "1E3" has scale -3).
func ParseDecimal(s string) (Decimal, error) {
	orig := s
	exp := 0
	if i := strings.IndexAny(s, "eE"); i >= 0 {
		var e int
		if _, err := fmt.Sscan(s[i+1:], &e); err != nil {
			return Decimal{}, fmt.Errorf("invalid decimal %q", orig)
		}
		exp = e
		s = s[:i]
	}
	s = strings.TrimPrefix(s, "+")
	scale := 0
	if i := strings.IndexByte(s, '.'); i >= 0 {
		scale = len(s) - i - 1
		s = s[:i] + s[i+1:]
	}
	if s == "" || s == "-" {
		return Decimal{}, fmt.Errorf("invalid decimal %q", orig)
	}
	u, ok := new(big.Int).SetString(s, 10)
	if !ok {
		return Decimal{}, fmt.Errorf("invalid decimal %q", orig)
	}
	return Decimal{Unscaled: u, Scale: scale - exp}, nil
}

// DecimalFromInt returns n with scale 0.
func DecimalFromInt(n int64) Decimal { return Decimal{Unscaled: big.NewInt(n)} }

// DecimalFromFloat returns f rounded to scale digits (HALF_UP), or an error for NaN/Inf.
func DecimalFromFloat(f float64, scale int) (Decimal, error) {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return Decimal{}, fmt.Errorf("cannot convert %v to DECIMAL", f)
	}
	d, err := ParseDecimal(FormatDoubleExact(f))
	if err != nil {
		return Decimal{}, err
	}
	return d.Rescale(scale), nil
}

// FormatDoubleExact formats f with the shortest digits that read back as f, in plain or
// scientific form (Go syntax), for exact conversion to Decimal.
func FormatDoubleExact(f float64) string {
	return strconv.FormatFloat(f, 'g', -1, 64)
}

// Sign returns -1, 0 or +1.
func (d Decimal) Sign() int { return d.unscaled().Sign() }

// Rescale returns d with the given scale, rounding HALF_UP when digits are dropped.
func (d Decimal) Rescale(scale int) Decimal {
	u := d.unscaled()
	switch {
	case scale == d.Scale:
		return Decimal{Unscaled: u, Scale: scale}
	case scale > d.Scale:
		return Decimal{Unscaled: new(big.Int).Mul(u, pow10(scale-d.Scale)), Scale: scale}
	}
	div := pow10(d.Scale - scale)
	q, r := new(big.Int).QuoRem(u, div, new(big.Int))
	// HALF_UP: |r|*2 >= div rounds away from zero.
	r2 := new(big.Int).Abs(r)
	r2.Lsh(r2, 1)
	if r2.Cmp(div) >= 0 {
		if u.Sign() < 0 {
			q.Sub(q, big.NewInt(1))
		} else {
			q.Add(q, big.NewInt(1))
		}
	}
	return Decimal{Unscaled: q, Scale: scale}
}

// Precision returns the number of digits in the unscaled value (1 for zero).
func (d Decimal) Precision() int {
	u := new(big.Int).Abs(d.unscaled())
	if u.Sign() == 0 {
		return 1
	}
	return len(u.String())
}

// Fits says whether d fits DECIMAL(precision, scale) once rescaled to scale.
func (d Decimal) Fits(precision, scale int) bool {
	r := d.Rescale(scale)
	return r.Precision() <= precision || r.Sign() == 0
}

// Cmp compares values (scale ignored): -1, 0 or +1.
func (d Decimal) Cmp(e Decimal) int {
	s := max(d.Scale, e.Scale)
	return d.Rescale(s).unscaled().Cmp(e.Rescale(s).unscaled())
}

// Add returns d+e with scale max of the scales.
func (d Decimal) Add(e Decimal) Decimal {
	s := max(d.Scale, e.Scale)
	return Decimal{Unscaled: new(big.Int).Add(d.Rescale(s).unscaled(), e.Rescale(s).unscaled()), Scale: s}
}

// Sub returns d-e with scale max of the scales.
func (d Decimal) Sub(e Decimal) Decimal {
	s := max(d.Scale, e.Scale)
	return Decimal{Unscaled: new(big.Int).Sub(d.Rescale(s).unscaled(), e.Rescale(s).unscaled()), Scale: s}
}

// Mul returns d*e with scale d.Scale+e.Scale.
func (d Decimal) Mul(e Decimal) Decimal {
	return Decimal{Unscaled: new(big.Int).Mul(d.unscaled(), e.unscaled()), Scale: d.Scale + e.Scale}
}

// Neg returns -d.
func (d Decimal) Neg() Decimal {
	return Decimal{Unscaled: new(big.Int).Neg(d.unscaled()), Scale: d.Scale}
}

// Quo returns d/e rounded HALF_UP to scale; e must not be zero.
func (d Decimal) Quo(e Decimal, scale int) Decimal {
	// d/e = (ud / 10^ds) / (ue / 10^es); scaled by 10^(scale+1) for rounding.
	num := new(big.Int).Mul(d.unscaled(), pow10(scale+1+e.Scale))
	den := new(big.Int).Mul(e.unscaled(), pow10(d.Scale))
	if den.Sign() < 0 {
		num.Neg(num)
		den.Neg(den)
	}
	q := new(big.Int).Quo(num, den)
	return Decimal{Unscaled: q, Scale: scale + 1}.Rescale(scale)
}

// Rem returns the remainder of d/e (sign of d), scale max of the scales; e must not be zero.
func (d Decimal) Rem(e Decimal) Decimal {
	s := max(d.Scale, e.Scale)
	return Decimal{Unscaled: new(big.Int).Rem(d.Rescale(s).unscaled(), e.Rescale(s).unscaled()), Scale: s}
}

// Float returns the nearest float64.
func (d Decimal) Float() float64 {
	var r *big.Rat
	if d.Scale >= 0 {
		r = new(big.Rat).SetFrac(d.unscaled(), pow10(d.Scale))
	} else {
		r = new(big.Rat).SetInt(new(big.Int).Mul(d.unscaled(), pow10(-d.Scale)))
	}
	f, _ := r.Float64()
	return f
}

// Int64 returns the integer part (truncated toward zero) and whether it fits.
func (d Decimal) Int64() (int64, bool) {
	var q *big.Int
	if d.Scale >= 0 {
		q = new(big.Int).Quo(d.unscaled(), pow10(d.Scale))
	} else {
		q = new(big.Int).Mul(d.unscaled(), pow10(-d.Scale))
	}
	return q.Int64(), q.IsInt64()
}

// String formats d as Java's BigDecimal.toPlainString: all digits of its scale, e.g.
// "1.50", "-0.05", "100".
func (d Decimal) String() string {
	u := d.unscaled()
	if d.Scale <= 0 {
		return new(big.Int).Mul(u, pow10(-d.Scale)).String()
	}
	neg := u.Sign() < 0
	digits := new(big.Int).Abs(u).String()
	for len(digits) <= d.Scale {
		digits = "0" + digits
	}
	s := digits[:len(digits)-d.Scale] + "." + digits[len(digits)-d.Scale:]
	if neg {
		s = "-" + s
	}
	return s
}
