package functions

import (
	"fmt"
	"strings"
	"unicode"
)

// MASK, MASK_KEEP_LEFT, MASK_KEEP_RIGHT, MASK_LEFT, MASK_RIGHT: upper-case letters become
// 'X', lower-case 'x', digits 'n' and anything else '-', unless other mask characters are
// given (the first character of each; NULL keeps that class unmasked).

func init() {
	maskNames := []string{"upper", "lower", "digit", "other"}
	builtinScalars = append(builtinScalars, strScalar("MASK", "STRING",
		"Masks every character of the input: upper case to 'X', lower case to 'x', digits to 'n', others to '-', "+
			"or to the given mask characters (NULL leaves that kind unmasked).",
		Overload{Params: []string{"STRING"}, Names: []string{"input"}, Returns: "STRING",
			Impl: func(a []any) (any, error) { return strMaskImpl("mask", a, false) }},
		Overload{Params: []string{"STRING", "STRING", "STRING", "STRING", "STRING"},
			Names: append([]string{"input"}, maskNames...), Returns: "STRING",
			Impl: func(a []any) (any, error) { return strMaskImpl("mask", a, false) }},
	))
	for _, fn := range []struct{ name, desc string }{
		{"MASK_KEEP_LEFT", "Masks all but the first numChars characters of the input."},
		{"MASK_KEEP_RIGHT", "Masks all but the last numChars characters of the input."},
		{"MASK_LEFT", "Masks the first numChars characters of the input."},
		{"MASK_RIGHT", "Masks the last numChars characters of the input."},
	} {
		lower := strings.ToLower(fn.name)
		builtinScalars = append(builtinScalars, strScalar(fn.name, "STRING",
			fn.desc+" Upper case becomes 'X', lower case 'x', digits 'n', others '-', or the given mask characters.",
			Overload{Params: []string{"STRING", "INT"}, Names: []string{"input", "numChars"}, Returns: "STRING",
				Impl: func(a []any) (any, error) { return strMaskImpl(lower, a, true) }},
			Overload{Params: []string{"STRING", "INT", "STRING", "STRING", "STRING", "STRING"},
				Names: append([]string{"input", "numChars"}, maskNames...), Returns: "STRING",
				Impl: func(a []any) (any, error) { return strMaskImpl(lower, a, true) }},
		))
	}
}

// strNoMask marks a character class left unmasked.
const strNoMask = -1

// strMasker holds the mask characters for upper case, lower case, digits and others.
type strMasker [4]rune

func (m strMasker) mask(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		k := 3
		switch {
		case unicode.IsUpper(r):
			k = 0
		case unicode.IsLower(r):
			k = 1
		case unicode.IsDigit(r):
			k = 2
		}
		if m[k] == strNoMask {
			b.WriteRune(r)
		} else {
			b.WriteRune(m[k])
		}
	}
	return b.String()
}

// strMaskImpl evaluates the mask functions: args are input, [numChars,] and optionally
// the four mask characters.
func strMaskImpl(fn string, a []any, counted bool) (any, error) {
	m := strMasker{'X', 'x', 'n', '-'}
	masks := a[1:]
	n := 0
	if counted {
		if a[1] == nil {
			return nil, nil
		}
		n = int(a[1].(int32))
		if n < 0 {
			what := "not to mask"
			if fn == "mask_left" || fn == "mask_right" {
				what = "to mask"
			}
			return nil, fmt.Errorf("function %s requires a non-negative number of characters %s", fn, what)
		}
		masks = a[2:]
	}
	for i, v := range masks {
		if v == nil {
			m[i] = strNoMask
			continue
		}
		s := v.(string)
		if s == "" {
			return nil, fmt.Errorf("%s: mask character %d is an empty string", fn, i+1)
		}
		for _, r := range s {
			m[i] = r
			break
		}
	}
	if a[0] == nil {
		return nil, nil
	}
	s := a[0].(string)
	l := strLen16(s)
	switch fn {
	case "mask":
		return m.mask(s), nil
	case "mask_keep_left":
		k := min(n, l)
		return strSlice16(s, 0, k) + m.mask(strSlice16(s, k, l)), nil
	case "mask_keep_right":
		k := l - min(n, l)
		return m.mask(strSlice16(s, 0, k)) + strSlice16(s, k, l), nil
	case "mask_left":
		k := min(n, l)
		return m.mask(strSlice16(s, 0, k)) + strSlice16(s, k, l), nil
	default: // mask_right
		k := l - min(n, l)
		return strSlice16(s, 0, k) + m.mask(strSlice16(s, k, l)), nil
	}
}
