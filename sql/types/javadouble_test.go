package types

import (
	"math"
	"testing"
)

func TestFormatDoubleJavaLongPath(t *testing.T) {
	tests := []struct {
		f    float64
		want string
	}{
		{1 << 62, "4.6116860184273879E18"},             // QTT average-udaf: 2^62, not the shortest 4.611686018427388E18
		{math.MaxInt64 / 3.0, "3.0744573456182584E18"}, // QTT average-udaf
		{-(1 << 62), "-4.6116860184273879E18"},         // sign
		{1 << 56, "7.2057594037927936E16"},             // exact digits, no digit dropped below 2^58
		{1e18, "1.0E18"},                               // trailing zeros stripped
		{1 << 53, "9.007199254740992E15"},              // below the long path's extra digits
		{1 << 63, "9.223372036854776E18"},              // out of the long path: shortest digits
		{12345678.0, "1.2345678E7"},                    // small integers: shortest digits
	}
	for _, tc := range tests {
		if got := FormatDouble(tc.f); got != tc.want {
			t.Errorf("FormatDouble(%v) = %s, want %s", tc.f, got, tc.want)
		}
	}
}
