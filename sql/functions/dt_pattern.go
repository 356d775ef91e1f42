package functions

import (
	"fmt"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unicode/utf8"
)

// A small implementation of java.time.format.DateTimeFormatter patterns (the pattern
// letters of DateTimeFormatter.ofPattern, English names), used by ksqlDB's date/time
// functions. Parsing is case-insensitive, as ksqlDB builds its parsers with
// parseCaseInsensitive, and missing fields default to 1970-01-01T00:00:00.
//
// Supported letters: G u y Q q M L d D E a h K k H m s S A n N V z O X x Z, 'literal',
// '' (quote) and [optional] sections. Week-based letters (Y w W e c F) and the rest of
// Java's letters are rejected.

// dtField is a date/time field a pattern letter prints or parses.
type dtField int

const (
	dtEra dtField = iota + 1
	dtYearOfEra
	dtYear
	dtQuarter
	dtMonth
	dtDayOfMonth
	dtDayOfYear
	dtDayOfWeek
	// time fields follow
	dtAmPm
	dtHourOfAmPm
	dtClockHourOfAmPm
	dtHourOfDay
	dtClockHourOfDay
	dtMinute
	dtSecond
	dtNano
	dtMilliOfDay
	dtNanoOfDay
)

var dtFieldNames = [...]string{"", "Era", "YearOfEra", "Year", "QuarterOfYear", "MonthOfYear", "DayOfMonth",
	"DayOfYear", "DayOfWeek", "AmPmOfDay", "HourOfAmPm", "ClockHourOfAmPm", "HourOfDay", "ClockHourOfDay",
	"MinuteOfHour", "SecondOfMinute", "NanoOfSecond", "MilliOfDay", "NanoOfDay"}

func (f dtField) String() string { return dtFieldNames[f] }

func (f dtField) isDate() bool { return f >= dtEra && f <= dtDayOfWeek }

// dtRanges are the valid values of each field, as Java checks them.
var dtRanges = map[dtField][2]int64{
	dtEra: {0, 1}, dtYearOfEra: {1, 999999999}, dtYear: {-999999999, 999999999}, dtQuarter: {1, 4},
	dtMonth: {1, 12}, dtDayOfMonth: {1, 31}, dtDayOfYear: {1, 366}, dtDayOfWeek: {1, 7}, dtAmPm: {0, 1},
	dtHourOfAmPm: {0, 11}, dtClockHourOfAmPm: {1, 12}, dtHourOfDay: {0, 23}, dtClockHourOfDay: {1, 24},
	dtMinute: {0, 59}, dtSecond: {0, 59}, dtNano: {0, 999999999}, dtMilliOfDay: {0, 86399999},
	dtNanoOfDay: {0, 86399999999999},
}

var dtLetterFields = map[byte]dtField{
	'G': dtEra, 'y': dtYearOfEra, 'u': dtYear, 'Q': dtQuarter, 'q': dtQuarter, 'M': dtMonth, 'L': dtMonth,
	'd': dtDayOfMonth, 'D': dtDayOfYear, 'E': dtDayOfWeek, 'a': dtAmPm, 'K': dtHourOfAmPm,
	'h': dtClockHourOfAmPm, 'H': dtHourOfDay, 'k': dtClockHourOfDay, 'm': dtMinute, 's': dtSecond,
	'S': dtNano, 'n': dtNano, 'A': dtMilliOfDay, 'N': dtNanoOfDay,
}

// dtSign is Java's SignStyle for numbers.
type dtSign int

const (
	dtNormal dtSign = iota
	dtNotNegative
	dtExceedsPad
)

// dtTok is one element of a compiled pattern: a field letter repeated count times, a
// literal, or an optional section.
type dtTok struct {
	letter byte
	count  int
	lit    string
	opt    []dtTok
	isOpt  bool
	// numbers
	min, max int
	sign     dtSign
	reduced  bool // yy: two digits, base 2000
	fraction bool // S: fraction of second
	text     bool // names (months, days, eras, AM/PM, quarters)
}

// dtPattern is a compiled DateTimeFormatter pattern.
type dtPattern struct {
	src  string
	toks []dtTok
}

var (
	dtPatternCache sync.Map // pattern -> *dtPattern or error
	dtPatternCount atomic.Int64
)

// dtPatternMaxCached bounds dtPatternCache (patterns beyond it are compiled per call).
const dtPatternMaxCached = 4096

// dtCompile compiles a pattern, caching the result.
func dtCompile(src string) (*dtPattern, error) {
	if v, ok := dtPatternCache.Load(src); ok {
		if p, ok := v.(*dtPattern); ok {
			return p, nil
		}
		return nil, v.(error)
	}
	toks, _, err := dtCompileSeq(src, 0, false)
	var v any
	var p *dtPattern
	if err != nil {
		v = err
	} else {
		p = &dtPattern{src: src, toks: toks}
		v = p
	}
	if dtPatternCount.Load() < dtPatternMaxCached {
		if _, loaded := dtPatternCache.LoadOrStore(src, v); !loaded {
			dtPatternCount.Add(1)
		}
	}
	return p, err
}

func dtCompileSeq(s string, i int, inOpt bool) ([]dtTok, int, error) {
	var toks []dtTok
	addLit := func(l string) {
		if n := len(toks); n > 0 && toks[n-1].letter == 0 && !toks[n-1].isOpt {
			toks[n-1].lit += l
			return
		}
		toks = append(toks, dtTok{lit: l})
	}
	for i < len(s) {
		c := s[i]
		switch {
		case c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z':
			j := i
			for j < len(s) && s[j] == c {
				j++
			}
			t, err := dtLetterTok(c, j-i)
			if err != nil {
				return nil, 0, err
			}
			toks = append(toks, t)
			i = j
		case c == '\'':
			j := i + 1
			var b strings.Builder
			for {
				if j >= len(s) {
					return nil, 0, fmt.Errorf("Pattern ends with an incomplete string literal: %s", s)
				}
				if s[j] == '\'' {
					if j+1 < len(s) && s[j+1] == '\'' {
						b.WriteByte('\'')
						j += 2
						continue
					}
					break
				}
				b.WriteByte(s[j])
				j++
			}
			if j == i+1 {
				addLit("'")
			} else {
				addLit(b.String())
			}
			i = j + 1
		case c == '[':
			sub, j, err := dtCompileSeq(s, i+1, true)
			if err != nil {
				return nil, 0, err
			}
			toks = append(toks, dtTok{isOpt: true, opt: sub})
			i = j
		case c == ']':
			if !inOpt {
				return nil, 0, fmt.Errorf("Pattern invalid as it contains ] without previous [")
			}
			return toks, i + 1, nil
		case c == '{' || c == '}' || c == '#':
			return nil, 0, fmt.Errorf("Pattern includes reserved character: '%c'", c)
		default:
			_, size := utf8.DecodeRuneInString(s[i:])
			addLit(s[i : i+size])
			i += size
		}
	}
	return toks, i, nil
}

func dtLetterTok(c byte, n int) (dtTok, error) {
	t := dtTok{letter: c, count: n}
	tooMany := fmt.Errorf("Too many pattern letters: %c", c)
	num := func(min, max int, sign dtSign) { t.min, t.max, t.sign = min, max, sign }
	// count 1: variable width; count 2: exactly two digits.
	oneOrTwo := func(limit int) error {
		if n > limit {
			return tooMany
		}
		if n == 1 {
			num(1, 19, dtNormal)
		} else {
			num(2, 2, dtNotNegative)
		}
		return nil
	}
	var err error
	switch c {
	case 'G':
		t.text = true
		if n > 5 {
			err = tooMany
		}
	case 'y', 'u':
		switch {
		case n > 19:
			err = fmt.Errorf("The minimum width must be from 1 to 19 inclusive but was %d", n)
		case n == 2:
			t.reduced = true
			num(2, 2, dtNotNegative)
		case n < 4:
			num(n, 19, dtNormal)
		default:
			num(n, 19, dtExceedsPad)
		}
	case 'M', 'L', 'Q', 'q':
		if n > 5 {
			err = tooMany
		} else if n >= 3 {
			t.text = true
		} else {
			err = oneOrTwo(2)
		}
	case 'E':
		t.text = true
		if n > 5 {
			err = tooMany
		}
	case 'a':
		t.text = true
		if n > 1 {
			err = tooMany
		}
	case 'd', 'h', 'H', 'k', 'K', 'm', 's':
		err = oneOrTwo(2)
	case 'D':
		switch n {
		case 1:
			num(1, 19, dtNormal)
		case 2:
			num(2, 3, dtNotNegative)
		case 3:
			num(3, 3, dtNotNegative)
		default:
			err = tooMany
		}
	case 'S':
		if n > 9 {
			err = fmt.Errorf("The maximum width must be from 1 to 9 inclusive but was %d", n)
		}
		t.fraction = true
		num(n, n, dtNotNegative)
	case 'A', 'n', 'N':
		switch {
		case n > 19:
			err = fmt.Errorf("The width must be from 1 to 19 inclusive but was %d", n)
		case n == 1:
			num(1, 19, dtNormal)
		default:
			num(n, n, dtNotNegative)
		}
	case 'V':
		if n != 2 {
			err = fmt.Errorf("Pattern letter count must be 2: %c", c)
		}
	case 'z':
		if n > 4 {
			err = tooMany
		}
	case 'O':
		if n != 1 && n != 4 {
			err = fmt.Errorf("Pattern letter count must be 1 or 4: %c", c)
		}
	case 'X', 'x', 'Z':
		if n > 5 {
			err = tooMany
		}
	case 'Y', 'w', 'W', 'e', 'c', 'F', 'g', 'p', 'v', 'B':
		err = fmt.Errorf("Unsupported pattern letter: %c", c)
	default:
		err = fmt.Errorf("Unknown pattern letter: %c", c)
	}
	return t, err
}

func (t *dtTok) isZone() bool {
	switch t.letter {
	case 'V', 'z', 'O', 'X', 'x', 'Z':
		return true
	}
	return false
}

// Formatting.

// dtValue is a value to format: a wall-clock time and which parts it has (a DATE has no
// time of day and no zone; a TIME no date and no zone).
type dtValue struct {
	t           time.Time
	date, clock bool
	zone        *dtZone
}

func dtDateValue(days int64) dtValue {
	return dtValue{t: time.Unix(days*86400, 0).UTC(), date: true}
}

func dtTimeValue(ms int64) dtValue {
	return dtValue{t: time.UnixMilli(ms).UTC(), clock: true}
}

func dtTimestampValue(ms int64, z *dtZone) dtValue {
	return dtValue{t: time.UnixMilli(ms).In(z.loc), date: true, clock: true, zone: z}
}

var (
	dtMonthsFull   = []string{"January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"}
	dtMonthsShort  = []string{"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"}
	dtMonthsNarrow = []string{"J", "F", "M", "A", "M", "J", "J", "A", "S", "O", "N", "D"}
	dtDaysFull     = []string{"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"}
	dtDaysShort    = []string{"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"}
	dtDaysNarrow   = []string{"M", "T", "W", "T", "F", "S", "S"}
	dtQuarterShort = []string{"Q1", "Q2", "Q3", "Q4"}
	dtQuarterFull  = []string{"1st quarter", "2nd quarter", "3rd quarter", "4th quarter"}
	dtQuarterNarr  = []string{"1", "2", "3", "4"}
	dtEraShort     = []string{"BC", "AD"}
	dtEraFull      = []string{"Before Christ", "Anno Domini"}
	dtEraNarrow    = []string{"B", "A"}
	dtAmPmText     = []string{"AM", "PM"}
)

// dtTexts returns the names a text token prints/parses, indexed from the field's minimum.
func (t *dtTok) dtTexts() []string {
	style := 0 // 0 short, 1 full, 2 narrow
	switch {
	case t.count == 4:
		style = 1
	case t.count == 5:
		style = 2
	}
	pick := func(s, f, n []string) []string { return [][]string{s, f, n}[style] }
	switch t.letter {
	case 'G':
		return pick(dtEraShort, dtEraFull, dtEraNarrow)
	case 'M', 'L':
		return pick(dtMonthsShort, dtMonthsFull, dtMonthsNarrow)
	case 'Q', 'q':
		return pick(dtQuarterShort, dtQuarterFull, dtQuarterNarr)
	case 'E':
		return pick(dtDaysShort, dtDaysFull, dtDaysNarrow)
	}
	return dtAmPmText
}

// field returns the value of f in v, or ok=false when v has no such field.
func (v *dtValue) field(f dtField) (int64, bool) {
	if f.isDate() && !v.date || !f.isDate() && !v.clock {
		return 0, false
	}
	t := v.t
	y := int64(t.Year())
	h := int64(t.Hour())
	switch f {
	case dtEra:
		if y > 0 {
			return 1, true
		}
		return 0, true
	case dtYearOfEra:
		if y > 0 {
			return y, true
		}
		return 1 - y, true
	case dtYear:
		return y, true
	case dtQuarter:
		return int64(t.Month()-1)/3 + 1, true
	case dtMonth:
		return int64(t.Month()), true
	case dtDayOfMonth:
		return int64(t.Day()), true
	case dtDayOfYear:
		return int64(t.YearDay()), true
	case dtDayOfWeek:
		return (int64(t.Weekday())+6)%7 + 1, true
	case dtAmPm:
		return h / 12, true
	case dtHourOfAmPm:
		return h % 12, true
	case dtClockHourOfAmPm:
		if h%12 == 0 {
			return 12, true
		}
		return h % 12, true
	case dtHourOfDay:
		return h, true
	case dtClockHourOfDay:
		if h == 0 {
			return 24, true
		}
		return h, true
	case dtMinute:
		return int64(t.Minute()), true
	case dtSecond:
		return int64(t.Second()), true
	case dtNano:
		return int64(t.Nanosecond()), true
	case dtMilliOfDay:
		return (h*3600+int64(t.Minute())*60+int64(t.Second()))*1000 + int64(t.Nanosecond())/1e6, true
	case dtNanoOfDay:
		return (h*3600+int64(t.Minute())*60+int64(t.Second()))*1e9 + int64(t.Nanosecond()), true
	}
	return 0, false
}

// format prints v with the pattern.
func (p *dtPattern) format(v dtValue) (string, error) {
	var b strings.Builder
	if err := dtFormatSeq(&b, p.toks, &v); err != nil {
		return "", err
	}
	return b.String(), nil
}

// dtUnsupported is the error of a field v lacks; optional sections swallow it.
type dtUnsupported struct{ msg string }

func (e *dtUnsupported) Error() string { return e.msg }

func dtFormatSeq(b *strings.Builder, toks []dtTok, v *dtValue) error {
	for i := range toks {
		t := &toks[i]
		switch {
		case t.isOpt:
			var sub strings.Builder
			if err := dtFormatSeq(&sub, t.opt, v); err != nil {
				if _, ok := err.(*dtUnsupported); ok {
					continue
				}
				return err
			}
			b.WriteString(sub.String())
		case t.letter == 0:
			b.WriteString(t.lit)
		case t.isZone():
			if err := dtFormatZone(b, t, v); err != nil {
				return err
			}
		default:
			f := dtLetterFields[t.letter]
			val, ok := v.field(f)
			if !ok {
				return &dtUnsupported{"Unsupported field: " + f.String()}
			}
			if err := dtFormatField(b, t, f, val); err != nil {
				return err
			}
		}
	}
	return nil
}

func dtFormatField(b *strings.Builder, t *dtTok, f dtField, val int64) error {
	switch {
	case t.text:
		names := t.dtTexts()
		idx := val - dtRanges[f][0]
		if idx < 0 || idx >= int64(len(names)) {
			return fmt.Errorf("Invalid value for %s: %d", f, val)
		}
		b.WriteString(names[idx])
		return nil
	case t.fraction:
		s := fmt.Sprintf("%09d", val)
		b.WriteString(s[:t.count])
		return nil
	case t.reduced:
		m := val % 100
		if m < 0 {
			m += 100
		}
		fmt.Fprintf(b, "%02d", m)
		return nil
	}
	neg := val < 0
	abs := val
	if neg {
		abs = -val
	}
	digits := strconv.FormatInt(abs, 10)
	if len(digits) > t.max {
		return fmt.Errorf("Field %s cannot be printed as the value %d exceeds the maximum print width of %d", f, val, t.max)
	}
	switch t.sign {
	case dtNotNegative:
		if neg {
			return fmt.Errorf("Field %s cannot be printed as the value %d cannot be negative according to the SignStyle", f, val)
		}
	case dtNormal:
		if neg {
			b.WriteByte('-')
		}
	case dtExceedsPad:
		if neg {
			b.WriteByte('-')
		} else if t.min < 19 && len(digits) > t.min {
			b.WriteByte('+')
		}
	}
	for i := len(digits); i < t.min; i++ {
		b.WriteByte('0')
	}
	b.WriteString(digits)
	return nil
}

func dtFormatZone(b *strings.Builder, t *dtTok, v *dtValue) error {
	if v.zone == nil {
		if t.letter == 'V' || t.letter == 'z' {
			return &dtUnsupported{"Unable to extract ZoneId from temporal " + v.describe()}
		}
		return &dtUnsupported{"Unsupported field: OffsetSeconds"}
	}
	name, off := v.t.Zone()
	switch t.letter {
	case 'V':
		b.WriteString(v.zone.id)
	case 'z':
		if v.zone.fixed || v.zone.id == "UTC" || v.zone.id == "GMT" || v.zone.id == "UT" {
			b.WriteString(v.zone.id)
		} else if t.count == 4 {
			if full, ok := dtZoneFullNames[name]; ok {
				b.WriteString(full)
			} else {
				b.WriteString(name)
			}
		} else {
			b.WriteString(name)
		}
	case 'O':
		b.WriteString(dtLocalizedOffset(off, t.count == 4))
	case 'X':
		b.WriteString(dtOffsetText(off, t.count, "Z"))
	case 'x':
		b.WriteString(dtOffsetText(off, t.count, ""))
	case 'Z':
		switch {
		case t.count == 4:
			b.WriteString(dtLocalizedOffset(off, true))
		case t.count == 5:
			b.WriteString(dtOffsetText(off, 5, "Z"))
		default:
			b.WriteString(dtOffsetText(off, 2, "+0000"))
		}
	}
	return nil
}

// describe renders the value as Java's toString of LocalDate/LocalTime does.
func (v *dtValue) describe() string {
	switch {
	case v.date && v.clock:
		return v.t.Format("2006-01-02T15:04:05.999")
	case v.date:
		return v.t.Format("2006-01-02")
	}
	return v.t.Format("15:04:05.999")
}

// dtOffsetText formats an offset as the X/x patterns with count letters do: 1 "+HHmm"
// (minutes only when non-zero), 2 "+HHMM", 3 "+HH:MM", 4 "+HHMMss", 5 "+HH:MM:ss". zero
// is the text of a zero offset ("" for the x patterns' numeric zero).
func dtOffsetText(off, count int, zero string) string {
	if off == 0 && zero != "" {
		return zero
	}
	sign := '+'
	if off < 0 {
		sign = '-'
		off = -off
	}
	h, m, s := off/3600, off/60%60, off%60
	var b strings.Builder
	b.WriteRune(sign)
	fmt.Fprintf(&b, "%02d", h)
	colon := count == 3 || count == 5
	switch count {
	case 1:
		if m != 0 {
			fmt.Fprintf(&b, "%02d", m)
		}
	case 2, 3:
		if colon {
			b.WriteByte(':')
		}
		fmt.Fprintf(&b, "%02d", m)
	case 4, 5:
		if colon {
			b.WriteByte(':')
		}
		fmt.Fprintf(&b, "%02d", m)
		if s != 0 {
			if colon {
				b.WriteByte(':')
			}
			fmt.Fprintf(&b, "%02d", s)
		}
	}
	return b.String()
}

// dtLocalizedOffset formats "GMT+8" (short) or "GMT+08:00" (full); "GMT" for zero.
func dtLocalizedOffset(off int, full bool) string {
	if off == 0 {
		return "GMT"
	}
	if full {
		return "GMT" + dtOffsetID(off)
	}
	sign := "+"
	if off < 0 {
		sign = "-"
		off = -off
	}
	h, m, s := off/3600, off/60%60, off%60
	r := fmt.Sprintf("GMT%s%d", sign, h)
	if m != 0 || s != 0 {
		r += fmt.Sprintf(":%02d", m)
		if s != 0 {
			r += fmt.Sprintf(":%02d", s)
		}
	}
	return r
}
