package functions

import (
	"strings"
	"testing"
	"time"
)

func TestDtPatternFormat(t *testing.T) {
	ny, err := dtZoneOf("America/New_York")
	if err != nil {
		t.Fatal(err)
	}
	v := dtTimestampValue(1589234313123, ny) // 2020-05-11T17:58:33.123-04:00
	cases := []struct{ pattern, want string }{
		{"G GGGG GGGGG", "AD Anno Domini A"},
		{"u uu uuu uuuu y yy yyy yyyyy", "2020 20 2020 2020 2020 20 2020 02020"},
		{"Q QQ QQQ QQQQ QQQQQ", "2 02 Q2 2nd quarter 2"},
		{"M MM MMM MMMM MMMMM L LL", "5 05 May May M 5 05"},
		{"d dd D DD DDD", "11 11 132 132 132"},
		{"E EE EEE EEEE EEEEE", "Mon Mon Mon Monday M"},
		{"a h hh K KK k kk H HH", "PM 5 05 5 05 17 17 17 17"},
		{"m mm s ss S SS SSS SSSS SSSSSSSSS", "58 58 33 33 1 12 123 1230 123000000"},
		{"A n N", "64713123 123000000 64713123000000"},
		{"VV z zzzz O OOOO", "America/New_York EDT Eastern Daylight Time GMT-4 GMT-04:00"},
		{"X XX XXX XXXX XXXXX", "-04 -0400 -04:00 -0400 -04:00"},
		{"x xx xxx Z ZZZZ ZZZZZ", "-04 -0400 -04:00 -0400 GMT-04:00 -04:00"},
		{"'it''s' '' [yyyy[ HH]] [VV]", "it's ' 2020 17 America/New_York"},
		{"yyyy-MM-dd'T'HH:mm:ss.SSSXXX", "2020-05-11T17:58:33.123-04:00"},
		{"EEEE, MMMM d, yyyy h:mm a", "Monday, May 11, 2020 5:58 PM"},
	}
	for _, c := range cases {
		p, err := dtCompile(c.pattern)
		if err != nil {
			t.Fatalf("%q: %v", c.pattern, err)
		}
		got, err := p.format(v)
		if err != nil || got != c.want {
			t.Errorf("format %q = %q, %v; want %q", c.pattern, got, err, c.want)
		}
	}
	utc := dtTimestampValue(0, dtZoneUTC)
	for pattern, want := range map[string]string{"X x Z ZZZZ ZZZZZ O": "Z +00 +0000 GMT Z GMT", "VV z": "UTC UTC"} {
		p, _ := dtCompile(pattern)
		if got, err := p.format(utc); err != nil || got != want {
			t.Errorf("format %q = %q, %v; want %q", pattern, got, err, want)
		}
	}
	// Years beyond four digits and before the common era.
	for days, want := range map[int64]string{3000000: "+10183 +10183", -800000: "-0221 0222"} {
		p, _ := dtCompile("uuuu yyyy")
		if got, err := p.format(dtDateValue(days)); err != nil || got != want {
			t.Errorf("format day %d = %q, %v; want %q", days, got, err, want)
		}
	}
	// A DATE has no time and no zone; an optional section hides what is missing.
	p, _ := dtCompile("yyyy-MM-dd[ HH:mm][ VV]")
	if got, err := p.format(dtDateValue(0)); err != nil || got != "1970-01-01" {
		t.Errorf("optional = %q, %v", got, err)
	}
}

func TestDtPatternCompileErrors(t *testing.T) {
	for pattern, want := range map[string]string{
		"yyyy-MM-dd'T": "Pattern ends with an incomplete string literal",
		"ddd":          "Too many pattern letters: d",
		"aa":           "Too many pattern letters: a",
		"bb":           "Unknown pattern letter: b",
		"YYYY":         "Unsupported pattern letter: Y",
		"V":            "Pattern letter count must be 2: V",
		"OO":           "Pattern letter count must be 1 or 4: O",
		"yyyy]":        "Pattern invalid as it contains ] without previous [",
		"yyyy#":        "Pattern includes reserved character: '#'",
		"SSSSSSSSSS":   "The maximum width must be from 1 to 9 inclusive but was 10",
		"MMMMMM":       "Too many pattern letters: M",
	} {
		if _, err := dtCompile(pattern); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("compile %q: %v, want %q", pattern, err, want)
		}
	}
}

func TestDtPatternParse(t *testing.T) {
	ms := func(s string) int64 {
		tm, err := time.Parse(time.RFC3339Nano, s)
		if err != nil {
			t.Fatal(err)
		}
		return tm.UnixMilli()
	}
	cases := []struct {
		pattern, text string
		want          int64
	}{
		{"yyyy-MM-dd HH:mm:ss", "2020-05-11 21:58:33", ms("2020-05-11T21:58:33Z")},
		{"yyyyMMddHHmmss", "20200511215833", ms("2020-05-11T21:58:33Z")},
		{"yyyyMMdd", "20200511", ms("2020-05-11T00:00:00Z")},
		{"yyMMdd", "200511", ms("2020-05-11T00:00:00Z")},
		{"d/M/y", "1/2/2021", ms("2021-02-01T00:00:00Z")},
		{"dd MMMM yyyy", "11 may 2020", ms("2020-05-11T00:00:00Z")},
		{"EEE, dd MMM yyyy HH:mm:ss Z", "Mon, 11 May 2020 21:58:33 +0200", ms("2020-05-11T19:58:33Z")},
		{"yyyy-MM-dd'T'HH:mm:ss.SSSXXX", "2020-05-11T21:58:33.123-04:00", ms("2020-05-12T01:58:33.123Z")},
		{"yyyy-MM-dd'T'HH:mm:ss[.SSS]X", "2020-05-11T21:58:33Z", ms("2020-05-11T21:58:33Z")},
		{"yyyy-MM-dd'T'HH:mm:ss[.SSS]X", "2020-05-11T21:58:33.5Z", 0},
		{"yyyy-MM-dd'T'HH:mm:ss[.SSS]X", "2020-05-11T21:58:33.500Z", ms("2020-05-11T21:58:33.5Z")},
		{"yyyy-MM-dd HH:mm VV", "2020-03-08 02:30 America/New_York", ms("2020-03-08T07:30:00Z")},     // gap: 03:30 EDT
		{"yyyy-MM-dd HH:mm VV", "2020-11-01 01:30 America/New_York", ms("2020-11-01T05:30:00Z")},     // overlap: EDT
		{"yyyy-MM-dd HH:mm z", "2020-01-11 10:00 Pacific Standard Time", ms("2020-01-11T18:00:00Z")}, // long name
		{"yyyy-MM-dd HH:mm O", "2020-01-11 10:00 GMT+8", ms("2020-01-11T02:00:00Z")},
		{"yyyy-MM-dd", "2019-02-30", ms("2019-02-28T00:00:00Z")}, // SMART resolution
		{"yyyy D", "2020 366", ms("2020-12-31T00:00:00Z")},
		{"hh 'o''clock' a", "12 o'clock AM", 0},
		{"G yyyy", "BC 0001", ms("0000-01-01T00:00:00Z")},
		{"A", "1000", 1000},
		{"HH:mm", "10:30", ms("1970-01-01T10:30:00Z")},
	}
	for _, c := range cases {
		got, err := dtParseTimestampText(c.text, c.pattern, dtZoneUTC)
		if c.want == 0 && c.text == "2020-05-11T21:58:33.5Z" {
			if err == nil {
				t.Errorf("parse %q with %q: want an error (S needs three digits), got %d", c.text, c.pattern, got)
			}
			continue
		}
		if err != nil || got != c.want {
			t.Errorf("parse %q with %q = %d, %v; want %d", c.text, c.pattern, got, err, c.want)
		}
	}
	for _, c := range []struct{ pattern, text, want string }{
		{"yyyy-MM-dd", "2020-13-01", "Invalid value for MonthOfYear (valid values 1 - 12): 13"},
		{"yyyy-MM-dd", "2020-01-32", "Invalid value for DayOfMonth (valid values 1 - 28/31): 32"},
		{"yyyy-MM-dd", "2020-01-01x", "unparsed text found at index 10"},
		{"yyyy-MM-dd", "2020/01/01", "could not be parsed at index 4"},
		{"yyyy D", "2019 366", "Invalid date 'DayOfYear 366' as '2019' is not a leap year"},
		{"dd", "1", "could not be parsed at index 0"},
		{"yyyy-MM-dd VV", "2020-01-01 Nowhere/Land", "could not be parsed at index 11"},
		{"HH 'x' HH", "10 x 11", "Conflict found"},
	} {
		if _, err := dtParseTimestampText(c.text, c.pattern, dtZoneUTC); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("parse %q with %q: %v; want %q", c.text, c.pattern, err, c.want)
		}
	}
}

func TestDtZoneOf(t *testing.T) {
	for id, want := range map[string]string{
		"Z": "Z", "+2": "+02:00", "-02": "-02:00", "+05:30": "+05:30", "+0530": "+05:30", "+01:00:30": "+01:00:30",
		"+010030": "+01:00:30", "+00:00": "Z", "UTC": "UTC", "GMT": "GMT", "UTC+01:00": "UTC+01:00", "GMT-5": "GMT-05:00",
		"Europe/Paris": "Europe/Paris", "EST": "EST",
	} {
		z, err := dtZoneOf(id)
		if err != nil || z.id != want {
			t.Errorf("ZoneId.of(%q) = %v, %v; want %q", id, z, err, want)
		}
	}
	for _, id := range []string{"", "+", "+1:00", "+19:00", "+18:01", "Local", "Nowhere/Land", "1abc", "PST", "../etc/passwd"} {
		if z, err := dtZoneOf(id); err == nil {
			t.Errorf("ZoneId.of(%q) = %v, want an error", id, z.id)
		}
	}
}

func FuzzDtPattern(f *testing.F) {
	for _, s := range []string{"yyyy-MM-dd'T'HH:mm:ss.SSSXXX", "[yyyy][MM]", "EEEE zzzz VV", "''''", "G u Q a h K k A n N O x Z"} {
		f.Add(s, "2020-05-11T21:58:33.123Z", int64(1589234313123))
	}
	f.Fuzz(func(t *testing.T, pattern, text string, ms int64) {
		p, err := dtCompile(pattern)
		if err != nil {
			return
		}
		_, _ = p.format(dtTimestampValue(ms, dtZoneUTC))
		_, _ = p.format(dtDateValue(ms % 1e8))
		_, _ = p.format(dtTimeValue(ms % 86400000))
		if parsed, err := p.parse(text); err == nil {
			if c, err := parsed.resolve(); err == nil {
				_, _ = parsed.instant(c, dtZoneUTC)
			}
		}
	})
}
