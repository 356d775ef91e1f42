package functions

import "math"

// Sine, cosine and arcsine rounded as Java's (fdlibm-derived) Math functions round them:
// correctly, in all but astronomically rare cases. Go's math.Sin, math.Cos and math.Asin
// may be one ulp off, which shows in results such as GEO_DISTANCE's. The functions
// evaluate in double-double arithmetic and round once.

// mathTrigMax bounds the arguments reduced in double-double; beyond it (far outside
// what GEO_DISTANCE needs) math.Sin and math.Cos are used.
const mathTrigMax = 1 << 20

// π/2 in three parts of 33 bits (fdlibm's pio2_1, pio2_2, pio2_3) and the rest: k times
// each of the first three is exact for |k| < 2^20.
const (
	mathPio2a = 1.57079632673412561417e+00
	mathPio2b = 6.07710050630396597660e-11
	mathPio2c = 2.02226624871116645580e-21
	mathPio2d = 8.47842766036889956997e-32
)

// mathSinCosDD returns sin x and cos x as double-doubles, for |x| <= mathTrigMax.
func mathSinCosDD(x float64) (sh, sl, ch, cl float64) {
	k := math.Round(x / (math.Pi / 2))
	// r = x - k π/2, exactly up to the last part.
	rh, rl := mathTwoSum(x-k*mathPio2a, 0)
	rh, rl = mathDDAdd(rh, rl, -k*mathPio2b, 0)
	rh, rl = mathDDAdd(rh, rl, -k*mathPio2c, 0)
	rh, rl = mathDDAdd(rh, rl, -k*mathPio2d, 0)
	// Taylor series for |r| <= π/4: 16 terms reach 1e-35.
	r2h, r2l := mathDDMul(rh, rl, rh, rl)
	sh, sl = rh, rl   // sum for sin
	th, tl := rh, rl  // current sin term
	ch, cl = 1.0, 0.0 // sum for cos
	uh, ul := 1.0, 0.0
	for n := 1; n <= 16; n++ {
		// sin term: t * -r^2 / ((2n)(2n+1)); cos term: u * -r^2 / ((2n-1)(2n))
		th, tl = mathDDMul(th, tl, -r2h, -r2l)
		th, tl = mathDDDivF(th, tl, float64((2*n)*(2*n+1)))
		sh, sl = mathDDAdd(sh, sl, th, tl)
		uh, ul = mathDDMul(uh, ul, -r2h, -r2l)
		uh, ul = mathDDDivF(uh, ul, float64((2*n-1)*(2*n)))
		ch, cl = mathDDAdd(ch, cl, uh, ul)
	}
	switch int64(k) & 3 {
	case 1:
		return ch, cl, -sh, -sl
	case 2:
		return -sh, -sl, -ch, -cl
	case 3:
		return -ch, -cl, sh, sl
	}
	return sh, sl, ch, cl
}

// mathSin is sin x, rounded as Java's Math.sin.
func mathSin(x float64) float64 {
	if math.IsNaN(x) || math.IsInf(x, 0) || math.Abs(x) > mathTrigMax || x == 0 {
		return math.Sin(x)
	}
	sh, sl, _, _ := mathSinCosDD(x)
	return sh + sl
}

// mathCos is cos x, rounded as Java's Math.cos.
func mathCos(x float64) float64 {
	if math.IsNaN(x) || math.IsInf(x, 0) || math.Abs(x) > mathTrigMax {
		return math.Cos(x)
	}
	_, _, ch, cl := mathSinCosDD(x)
	return ch + cl
}

// mathAsin is asin x, rounded as Java's Math.asin: one Newton step in double-double from
// math.Asin's estimate.
func mathAsin(x float64) float64 {
	y := math.Asin(x)
	if math.IsNaN(y) || x == 0 || math.Abs(x) == 1 {
		return y
	}
	sh, sl, ch, cl := mathSinCosDD(y)
	d := (sh - x) + sl // sin(y) - x; sh - x is exact (the two are within a factor 2)
	return y - d/(ch+cl)
}
