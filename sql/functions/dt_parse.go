package functions

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// Parsing text with a compiled DateTimeFormatter pattern (dt_pattern.go) and resolving
// the parsed fields to a date, a time of day or an instant, as ksqlDB's parsers do:
// case-insensitive, missing fields defaulting to 1970-01-01T00:00:00.

// dtParsed holds the fields parsed from a text.
type dtParsed struct {
	fields map[dtField]int64
	zone   *dtZone // from V, z
	offset *int    // seconds, from X, x, Z, O
}

func (p *dtParsed) clone() *dtParsed {
	c := &dtParsed{fields: make(map[dtField]int64, len(p.fields)), zone: p.zone, offset: p.offset}
	for k, v := range p.fields {
		c.fields[k] = v
	}
	return c
}

// dtParseError is a parse failure at an index of the text.
type dtParseError struct{ pos int }

// parse reads text with the pattern (the whole text must match).
func (p *dtPattern) parse(text string) (*dtParsed, error) {
	st := &dtParsed{fields: map[dtField]int64{}}
	pos, perr, err := dtParseSeq(p.toks, text, 0, st)
	if err != nil {
		return nil, fmt.Errorf("Text '%s' could not be parsed: %w", text, err)
	}
	if perr != nil {
		return nil, fmt.Errorf("Text '%s' could not be parsed at index %d", text, perr.pos)
	}
	if pos < len(text) {
		return nil, fmt.Errorf("Text '%s' could not be parsed, unparsed text found at index %d", text, pos)
	}
	return st, nil
}

// dtParseSeq parses toks from pos; a mismatch is a *dtParseError, other failures (field
// conflicts) an error.
func dtParseSeq(toks []dtTok, s string, pos int, st *dtParsed) (int, *dtParseError, error) {
	for i := range toks {
		t := &toks[i]
		switch {
		case t.isOpt:
			sub := st.clone()
			np, perr, err := dtParseSeq(t.opt, s, pos, sub)
			if err != nil {
				return pos, nil, err
			}
			if perr == nil {
				*st = *sub
				pos = np
			}
		case t.letter == 0:
			if len(s)-pos < len(t.lit) || !strings.EqualFold(s[pos:pos+len(t.lit)], t.lit) {
				return pos, &dtParseError{pos}, nil
			}
			pos += len(t.lit)
		case t.isZone():
			np, ok := dtParseZone(t, s, pos, st)
			if !ok {
				return pos, &dtParseError{pos}, nil
			}
			pos = np
		case t.text:
			names := t.dtTexts()
			best, bestLen := -1, 0
			for j, n := range names {
				if len(n) > bestLen && len(s)-pos >= len(n) && strings.EqualFold(s[pos:pos+len(n)], n) {
					best, bestLen = j, len(n)
				}
			}
			if best < 0 {
				return pos, &dtParseError{pos}, nil
			}
			f := dtLetterFields[t.letter]
			val := int64(best) + dtRanges[f][0]
			if err := st.set(f, val); err != nil {
				return pos, nil, err
			}
			pos += bestLen
		default:
			np, val, ok := dtParseNumber(toks, i, s, pos)
			if !ok {
				return pos, &dtParseError{pos}, nil
			}
			f := dtLetterFields[t.letter]
			if t.reduced {
				val += 2000
			}
			if err := st.set(f, val); err != nil {
				return pos, nil, err
			}
			pos = np
		}
	}
	return pos, nil, nil
}

func (p *dtParsed) set(f dtField, v int64) error {
	if old, ok := p.fields[f]; ok && old != v {
		return fmt.Errorf("Conflict found: %s %d differs from %s %d", f, old, f, v)
	}
	p.fields[f] = v
	return nil
}

func dtIsDigit(c byte) bool { return c >= '0' && c <= '9' }

// dtParseNumber parses the numeric token toks[i] at pos, leaving room for the fixed-width
// numbers that follow it directly (Java's adjacent value parsing, e.g. "yyyyMMdd").
func dtParseNumber(toks []dtTok, i int, s string, pos int) (int, int64, bool) {
	t := &toks[i]
	neg := false
	if t.sign != dtNotNegative && pos < len(s) && (s[pos] == '-' || s[pos] == '+') && t.min < t.max {
		neg = s[pos] == '-'
		pos++
	}
	avail := 0
	for pos+avail < len(s) && dtIsDigit(s[pos+avail]) {
		avail++
	}
	take := min(avail, t.max)
	if t.min < t.max {
		reserved := 0
		for j := i + 1; j < len(toks); j++ {
			n := &toks[j]
			if n.letter == 0 || n.isOpt || n.text || n.isZone() || n.min != n.max {
				break
			}
			reserved += n.min
		}
		if reserved > 0 {
			take = min(take, avail-reserved)
		}
	}
	if take < t.min || take <= 0 {
		return pos, 0, false
	}
	digits := s[pos : pos+take]
	if t.fraction {
		for len(digits) < 9 {
			digits += "0"
		}
	}
	v, err := strconv.ParseInt(digits, 10, 64)
	if err != nil {
		return pos, 0, false
	}
	if neg {
		v = -v
	}
	return pos + take, v, true
}

// dtParseZone parses a zone or offset token at pos.
func dtParseZone(t *dtTok, s string, pos int, st *dtParsed) (int, bool) {
	switch t.letter {
	case 'X', 'x', 'Z':
		if t.letter == 'Z' && t.count == 4 {
			return dtParseLocalizedOffset(s, pos, st)
		}
		if pos < len(s) && (s[pos] == 'Z' || s[pos] == 'z') {
			off := 0
			st.offset = &off
			return pos + 1, true
		}
		np, off, ok := dtParseOffsetDigits(s, pos)
		if !ok {
			return pos, false
		}
		st.offset = &off
		return np, true
	case 'O':
		return dtParseLocalizedOffset(s, pos, st)
	}
	// V, z: a zone name or ID, the longest that is valid (a name on a tie).
	rest := s[pos:]
	var best *dtZone
	bestLen := 0
	for _, n := range dtZoneNamesByLength {
		if len(rest) >= len(n) && strings.EqualFold(rest[:len(n)], n) {
			if z, err := dtZoneOf(dtZoneNames[n]); err == nil {
				best, bestLen = z, len(n)
				break
			}
		}
	}
	end := 0
	for end < len(rest) && end < 64 && dtZoneIDChar(rest[end]) {
		end++
	}
	for ; end > bestLen; end-- {
		if z, err := dtZoneOf(rest[:end]); err == nil {
			best, bestLen = z, end
			break
		}
	}
	if best == nil {
		return pos, false
	}
	st.zone = best
	return pos + bestLen, true
}

func dtZoneIDChar(c byte) bool {
	return c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || dtIsDigit(c) || strings.IndexByte("~/._+-:", c) >= 0
}

// dtParseOffsetDigits parses "+HH", "+HHMM", "+HH:MM", "+HHMMSS", "+HH:MM:SS".
func dtParseOffsetDigits(s string, pos int) (int, int, bool) {
	if pos >= len(s) || s[pos] != '+' && s[pos] != '-' {
		return pos, 0, false
	}
	sign := 1
	if s[pos] == '-' {
		sign = -1
	}
	p := pos + 1
	two := func(at int) (int, bool) {
		if at+2 > len(s) || !dtIsDigit(s[at]) || !dtIsDigit(s[at+1]) {
			return 0, false
		}
		return int(s[at]-'0')*10 + int(s[at+1]-'0'), true
	}
	h, ok := two(p)
	if !ok || h > 18 {
		return pos, 0, false
	}
	p += 2
	total := h * 3600
	for _, mul := range []int{60, 1} {
		q := p
		if q < len(s) && s[q] == ':' {
			q++
		}
		v, ok := two(q)
		if !ok || v > 59 {
			break
		}
		total += v * mul
		p = q + 2
	}
	return p, sign * total, true
}

// dtParseLocalizedOffset parses "GMT", "GMT+8", "GMT+08:00".
func dtParseLocalizedOffset(s string, pos int, st *dtParsed) (int, bool) {
	if len(s)-pos < 3 || !strings.EqualFold(s[pos:pos+3], "GMT") {
		return pos, false
	}
	p := pos + 3
	off := 0
	if p < len(s) && (s[p] == '+' || s[p] == '-') {
		sign := 1
		if s[p] == '-' {
			sign = -1
		}
		q := p + 1
		h := 0
		n := 0
		for q < len(s) && dtIsDigit(s[q]) && n < 2 {
			h = h*10 + int(s[q]-'0')
			q++
			n++
		}
		if n == 0 || h > 18 {
			return pos, false
		}
		off = h * 3600
		for _, mul := range []int{60, 1} {
			if q+3 <= len(s) && s[q] == ':' && dtIsDigit(s[q+1]) && dtIsDigit(s[q+2]) {
				off += (int(s[q+1]-'0')*10 + int(s[q+2]-'0')) * mul
				q += 3
			} else {
				break
			}
		}
		off *= sign
		p = q
	}
	st.offset = &off
	return p, true
}

// dtCivil is a resolved local date and time.
type dtCivil struct {
	year                 int
	month, day           int
	hour, min, sec, nano int
	hasDateF, hasTimeF   bool // some date (time) field was parsed
}

// resolve validates the parsed fields and fills missing ones with 1970-01-01T00:00.
func (p *dtParsed) resolve() (dtCivil, error) {
	c := dtCivil{year: 1970, month: 1, day: 1}
	for f, v := range p.fields {
		r := dtRanges[f]
		if v < r[0] || v > r[1] {
			valid := fmt.Sprintf("%d - %d", r[0], r[1])
			switch f {
			case dtDayOfMonth:
				valid = "1 - 28/31"
			case dtDayOfYear:
				valid = "1 - 365/366"
			}
			return c, fmt.Errorf("Invalid value for %s (valid values %s): %d", f, valid, v)
		}
		if f.isDate() {
			c.hasDateF = true
		} else {
			c.hasTimeF = true
		}
	}
	get := func(f dtField) (int, bool) { v, ok := p.fields[f]; return int(v), ok }
	if y, ok := get(dtYear); ok {
		c.year = y
	} else if yoe, ok := get(dtYearOfEra); ok {
		c.year = yoe
		if era, ok := get(dtEra); ok && era == 0 {
			c.year = 1 - yoe
		}
	}
	mo, hasMonth := get(dtMonth)
	d, hasDay := get(dtDayOfMonth)
	if doy, ok := get(dtDayOfYear); ok && !hasMonth && !hasDay {
		if doy == 366 && !dtIsLeap(c.year) {
			return c, fmt.Errorf("Invalid date 'DayOfYear 366' as '%d' is not a leap year", c.year)
		}
		t := time.Date(c.year, 1, doy, 0, 0, 0, 0, time.UTC)
		c.month, c.day = int(t.Month()), t.Day()
	} else {
		if hasMonth {
			c.month = mo
		}
		if hasDay {
			c.day = min(d, dtMonthLength(c.year, c.month))
		}
	}
	if h, ok := get(dtHourOfDay); ok {
		c.hour = h
	} else if k, ok := get(dtClockHourOfDay); ok {
		c.hour = k % 24
	} else if h, ok := get(dtClockHourOfAmPm); ok {
		ap, _ := get(dtAmPm)
		c.hour = h%12 + 12*ap
	} else if h, ok := get(dtHourOfAmPm); ok {
		ap, _ := get(dtAmPm)
		c.hour = h + 12*ap
	}
	c.min, _ = get(dtMinute)
	c.sec, _ = get(dtSecond)
	c.nano, _ = get(dtNano)
	if ms, ok := p.fields[dtMilliOfDay]; ok {
		c.hour, c.min, c.sec = int(ms/3600000), int(ms/60000%60), int(ms/1000%60)
		c.nano = int(ms%1000) * 1e6
	}
	if ns, ok := p.fields[dtNanoOfDay]; ok {
		c.hour, c.min, c.sec = int(ns/3600e9), int(ns/60e9%60), int(ns/1e9%60)
		c.nano = int(ns % 1e9)
	}
	return c, nil
}

func dtIsLeap(y int) bool { return y%4 == 0 && (y%100 != 0 || y%400 == 0) }

func dtMonthLength(y, m int) int {
	switch m {
	case 2:
		if dtIsLeap(y) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

// epochDay returns the days since 1970-01-01 of the date.
func (c dtCivil) epochDay() int64 {
	return time.Date(c.year, time.Month(c.month), c.day, 0, 0, 0, 0, time.UTC).Unix() / 86400
}

// milliOfDay returns the time of day in milliseconds.
func (c dtCivil) milliOfDay() int64 {
	return int64((c.hour*3600+c.min*60+c.sec)*1000 + c.nano/1e6)
}

// instant returns the epoch milliseconds of the local date-time in the parsed offset or
// zone, else in def. Local times in a DST gap move forward by the gap, and ambiguous ones
// take the earlier offset, as Java's ZonedDateTime does.
func (p *dtParsed) instant(c dtCivil, def *dtZone) (int64, error) {
	local := time.Date(c.year, time.Month(c.month), c.day, c.hour, c.min, c.sec, 0, time.UTC).Unix()
	if local > math.MaxInt64/1000-86400 || local < math.MinInt64/1000+86400 {
		return 0, fmt.Errorf("long overflow")
	}
	var off int64
	switch {
	case p.offset != nil:
		off = int64(*p.offset)
	default:
		z := def
		if p.zone != nil {
			z = p.zone
		}
		off = dtLocalOffset(z.loc, local)
	}
	return (local-off)*1000 + int64(c.nano/1e6), nil
}

// dtLocalOffset returns the offset (seconds) to subtract from a local wall-clock time
// (as seconds since the epoch) in loc, with Java's gap and overlap rules.
func dtLocalOffset(loc *time.Location, local int64) int64 {
	offAt := func(instant int64) int64 {
		_, o := time.Unix(instant, 0).In(loc).Zone()
		return int64(o)
	}
	early := offAt(local - 86400)
	late := offAt(local + 86400)
	if early == late {
		return early
	}
	validEarly := offAt(local-early) == early
	validLate := offAt(local-late) == late
	switch {
	case validEarly:
		return early // also the overlap case: the earlier offset
	case validLate:
		return late
	}
	return early // gap: shifted forward by the gap length
}
