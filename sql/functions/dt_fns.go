package functions

import (
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/ksqlgo/ksqlgo/sql/types"
)

// ksqlDB's date/time scalar functions. Times are UTC unless a zone is given; patterns are
// java.time.format.DateTimeFormatter patterns (dt_pattern.go).

// dtNow is the clock of UNIX_TIMESTAMP() and UNIX_DATE(); tests replace it.
var dtNow = time.Now

// dtDefaultZone is the zone of the functions without a zone argument (ksqlDB uses the
// JVM's, which the QTT runs with UTC).
var dtDefaultZone = dtZoneUTC

// ParseJavaTimestamp parses text with a java.time.format.DateTimeFormatter pattern as
// ksqlDB's STRINGTOTIMESTAMP and TIMESTAMP_FORMAT do, returning epoch milliseconds.
// Parsing is case-insensitive; fields the pattern lacks default to
// 1970-01-01T00:00:00.000, and a text without a zone or offset is read in zone (a
// java.time ZoneId such as "UTC", "+02:00" or "Europe/Paris"; "" means UTC). Safe for
// concurrent use; compiled patterns are cached.
func ParseJavaTimestamp(text, pattern, zone string) (int64, error) {
	z := dtZoneUTC
	if zone != "" {
		var err error
		if z, err = dtZoneArg(zone); err != nil {
			return 0, err
		}
	}
	return dtParseTimestampText(text, pattern, z)
}

// FormatJavaTimestamp formats epoch milliseconds with a DateTimeFormatter pattern in zone
// ("" means UTC), as TIMESTAMPTOSTRING does. Safe for concurrent use.
func FormatJavaTimestamp(ms int64, pattern, zone string) (string, error) {
	z := dtZoneUTC
	if zone != "" {
		var err error
		if z, err = dtZoneArg(zone); err != nil {
			return "", err
		}
	}
	v, err := dtFormat(dtTimestampValue(ms, z), pattern, "timestamp", ms)
	if err != nil {
		return "", err
	}
	return v.(string), nil
}

// CheckJavaPattern reports whether pattern is a DateTimeFormatter pattern ksqlgo supports
// (e.g. to validate a TIMESTAMP_FORMAT property), with Java's wording for bad patterns.
func CheckJavaPattern(pattern string) error {
	_, err := dtCompile(pattern)
	return err
}

func dtParseTimestampText(text, pattern string, def *dtZone) (int64, error) {
	fail := func(err error) (int64, error) {
		return 0, fmt.Errorf("Failed to parse timestamp '%s' with formatter '%s': %w", text, pattern, err)
	}
	p, err := dtCompile(pattern)
	if err != nil {
		return fail(err)
	}
	parsed, err := p.parse(text)
	if err != nil {
		return fail(err)
	}
	c, err := parsed.resolve()
	if err != nil {
		return fail(fmt.Errorf("Text '%s' could not be parsed: %w", text, err))
	}
	ms, err := parsed.instant(c, def)
	if err != nil {
		return fail(err)
	}
	return ms, nil
}

// dtParseCivil parses text into a local date/time (for PARSE_DATE, PARSE_TIME, ...).
func dtParseCivil(text, pattern string) (dtCivil, error) {
	p, err := dtCompile(pattern)
	if err != nil {
		return dtCivil{}, err
	}
	parsed, err := p.parse(text)
	if err != nil {
		return dtCivil{}, err
	}
	c, err := parsed.resolve()
	if err != nil {
		return dtCivil{}, fmt.Errorf("Text '%s' could not be parsed: %w", text, err)
	}
	return c, nil
}

func dtParseDays(text, pattern, what string, noTime bool) (int32, error) {
	fail := func(err error) (int32, error) {
		return 0, fmt.Errorf("Failed to parse %s '%s' with formatter '%s': %w", what, text, pattern, err)
	}
	c, err := dtParseCivil(text, pattern)
	if err != nil {
		return fail(err)
	}
	if noTime && c.hasTimeF {
		return fail(fmt.Errorf("Date format contains time field."))
	}
	d := c.epochDay()
	if d < math.MinInt32 || d > math.MaxInt32 {
		return fail(fmt.Errorf("date out of range: %d days", d))
	}
	return int32(d), nil
}

func dtFormat(v dtValue, pattern, what string, shown any) (any, error) {
	p, err := dtCompile(pattern)
	if err == nil {
		var s string
		if s, err = p.format(v); err == nil {
			return s, nil
		}
	}
	return nil, fmt.Errorf("Failed to format %s %v with formatter '%s': %w", what, shown, pattern, err)
}

func dtZoneArg(v any) (*dtZone, error) {
	z, err := dtZoneOf(v.(string))
	if err != nil {
		return nil, fmt.Errorf("Invalid time zone: %w", err)
	}
	return z, nil
}

func init() {
	mathRegister("UNIX_TIMESTAMP", dtCategory, "Gets the Unix timestamp in milliseconds, represented as a BIGINT: of now when called without arguments, else of the given TIMESTAMP.",
		Overload{Returns: "BIGINT", Impl: func([]any) (any, error) { return dtNow().UnixMilli(), nil }},
		Overload{Params: []string{"TIMESTAMP"}, Names: []string{"timestamp"}, Returns: "BIGINT", NullOnNull: true,
			Impl: func(a []any) (any, error) { return int64(a[0].(types.Timestamp)), nil }},
	)
	mathRegister("UNIX_DATE", dtCategory, "Gets an INTEGER representing days since epoch: of today (UTC) when called without arguments, else of the given DATE.",
		Overload{Returns: "INT", Impl: func([]any) (any, error) {
			return int32(dtFloorDiv(dtNow().Unix(), 86400)), nil
		}},
		Overload{Params: []string{"DATE"}, Names: []string{"date"}, Returns: "INT", NullOnNull: true,
			Impl: func(a []any) (any, error) { return int32(a[0].(types.Date)), nil }},
	)
	mathRegister("FROM_UNIXTIME", dtCategory, "Converts a BIGINT millisecond timestamp value into a TIMESTAMP value.",
		Overload{Params: []string{"BIGINT"}, Names: []string{"epochMilli"}, Returns: "TIMESTAMP", NullOnNull: true,
			Impl: func(a []any) (any, error) { return types.Timestamp(a[0].(int64)), nil }},
	)
	mathRegister("FROM_DAYS", dtCategory, "Converts an INT number of days since epoch to a DATE value.",
		Overload{Params: []string{"INT"}, Names: []string{"days"}, Returns: "DATE", NullOnNull: true,
			Impl: func(a []any) (any, error) { return types.Date(a[0].(int32)), nil }},
	)

	// STRINGTOTIMESTAMP / PARSE_TIMESTAMP
	parseTS := func(wrap func(int64) any, def *dtZone) Impl {
		return func(a []any) (any, error) {
			z := def
			if len(a) > 2 {
				var err error
				if z, err = dtZoneArg(a[2]); err != nil {
					return nil, err
				}
			}
			ms, err := dtParseTimestampText(a[0].(string), a[1].(string), z)
			if err != nil {
				return nil, err
			}
			return wrap(ms), nil
		}
	}
	asBigint := func(ms int64) any { return ms }
	asTimestamp := func(ms int64) any { return types.Timestamp(ms) }
	mathRegister("STRINGTOTIMESTAMP", dtCategory, "Converts a string value in the given format into the BIGINT value that represents the millisecond timestamp. Single quotes in the timestamp format can be escaped with '', for example: 'yyyy-MM-dd''T''HH:mm:ssX'. An optional third argument names the time zone of timestamps without one.",
		Overload{Params: []string{"STRING", "STRING"}, Names: []string{"formattedTimestamp", "formatPattern"}, Returns: "BIGINT", NullOnNull: true, Impl: parseTS(asBigint, dtDefaultZone)},
		Overload{Params: []string{"STRING", "STRING", "STRING"}, Names: []string{"formattedTimestamp", "formatPattern", "timeZone"}, Returns: "BIGINT", NullOnNull: true, Impl: parseTS(asBigint, dtDefaultZone)},
	)
	mathRegister("PARSE_TIMESTAMP", dtCategory, "Converts a string value in the given format into the TIMESTAMP value. Single quotes in the timestamp format can be escaped with '', for example: 'yyyy-MM-dd''T''HH:mm:ssX'. An optional third argument names the time zone of timestamps without one.",
		Overload{Params: []string{"STRING", "STRING"}, Names: []string{"formattedTimestamp", "formatPattern"}, Returns: "TIMESTAMP", NullOnNull: true, Impl: parseTS(asTimestamp, dtZoneGMT)},
		Overload{Params: []string{"STRING", "STRING", "STRING"}, Names: []string{"formattedTimestamp", "formatPattern", "timeZone"}, Returns: "TIMESTAMP", NullOnNull: true, Impl: parseTS(asTimestamp, dtZoneGMT)},
	)

	// TIMESTAMPTOSTRING / FORMAT_TIMESTAMP
	formatTS := func(def *dtZone) Impl {
		return func(a []any) (any, error) {
			var ms int64
			switch v := a[0].(type) {
			case int64:
				ms = v
			case types.Timestamp:
				ms = int64(v)
			}
			z := def
			if len(a) > 2 {
				var err error
				if z, err = dtZoneArg(a[2]); err != nil {
					return nil, err
				}
			}
			return dtFormat(dtTimestampValue(ms, z), a[1].(string), "timestamp", ms)
		}
	}
	mathRegister("TIMESTAMPTOSTRING", dtCategory, "Converts a BIGINT millisecond timestamp value into the string representation of the timestamp in the given format. Single quotes in the timestamp format can be escaped with '', for example: 'yyyy-MM-dd''T''HH:mm:ssX'. An optional third argument names the time zone to format in (default UTC).",
		Overload{Params: []string{"BIGINT", "STRING"}, Names: []string{"epochMilli", "formatPattern"}, Returns: "STRING", NullOnNull: true, Impl: formatTS(dtDefaultZone)},
		Overload{Params: []string{"BIGINT", "STRING", "STRING"}, Names: []string{"epochMilli", "formatPattern", "timeZone"}, Returns: "STRING", NullOnNull: true, Impl: formatTS(dtDefaultZone)},
	)
	mathRegister("FORMAT_TIMESTAMP", dtCategory, "Converts a TIMESTAMP value into the string representation of the timestamp in the given format. Single quotes in the timestamp format can be escaped with '', for example: 'yyyy-MM-dd''T''HH:mm:ssX'. An optional third argument names the time zone to format in (default GMT).",
		Overload{Params: []string{"TIMESTAMP", "STRING"}, Names: []string{"timestamp", "formatPattern"}, Returns: "STRING", NullOnNull: true, Impl: formatTS(dtZoneGMT)},
		Overload{Params: []string{"TIMESTAMP", "STRING", "STRING"}, Names: []string{"timestamp", "formatPattern", "timeZone"}, Returns: "STRING", NullOnNull: true, Impl: formatTS(dtZoneGMT)},
	)

	// dates
	mathRegister("STRINGTODATE", dtCategory, "Converts a string representation of a date in the given format into an integer representing days since epoch. Single quotes in the date format can be escaped with '', for example: 'yyyy-MM-dd''T'''.",
		Overload{Params: []string{"STRING", "STRING"}, Names: []string{"formattedDate", "formatPattern"}, Returns: "INT", NullOnNull: true,
			Impl: func(a []any) (any, error) {
				d, err := dtParseDays(a[0].(string), a[1].(string), "date", false)
				if err != nil {
					return nil, err
				}
				return d, nil
			}},
	)
	mathRegister("PARSE_DATE", dtCategory, "Converts a string representation of a date in the given format into a DATE value. Single quotes in the date format can be escaped with '', for example: 'yyyy-MM-dd''T'''.",
		Overload{Params: []string{"STRING", "STRING"}, Names: []string{"formattedDate", "formatPattern"}, Returns: "DATE", NullOnNull: true,
			Impl: func(a []any) (any, error) {
				d, err := dtParseDays(a[0].(string), a[1].(string), "date", true)
				if err != nil {
					return nil, err
				}
				return types.Date(d), nil
			}},
	)
	mathRegister("DATETOSTRING", dtCategory, "Converts an integer representation of a date into a string representing the date in the given format. Single quotes in the date format can be escaped with '', for example: 'yyyy-MM-dd''T'''.",
		Overload{Params: []string{"INT", "STRING"}, Names: []string{"epochDays", "formatPattern"}, Returns: "STRING", NullOnNull: true,
			Impl: func(a []any) (any, error) {
				d := a[0].(int32)
				return dtFormat(dtDateValue(int64(d)), a[1].(string), "date", d)
			}},
	)
	mathRegister("FORMAT_DATE", dtCategory, "Converts a DATE value into a string representing the date in the given format. Single quotes in the date format can be escaped with '', for example: 'yyyy-MM-dd''T'''.",
		Overload{Params: []string{"DATE", "STRING"}, Names: []string{"date", "formatPattern"}, Returns: "STRING", NullOnNull: true,
			Impl: func(a []any) (any, error) {
				d := a[0].(types.Date)
				v := dtDateValue(int64(d))
				return dtFormat(v, a[1].(string), "date", v.t.Format("2006-01-02"))
			}},
	)

	// times
	mathRegister("PARSE_TIME", dtCategory, "Converts a string representation of a time in the given format into a TIME value. Single quotes in the time format can be escaped with '', for example: 'HH:mm''T'''.",
		Overload{Params: []string{"STRING", "STRING"}, Names: []string{"formattedTime", "formatPattern"}, Returns: "TIME", NullOnNull: true,
			Impl: func(a []any) (any, error) {
				text, pattern := a[0].(string), a[1].(string)
				c, err := dtParseCivil(text, pattern)
				if err == nil && c.hasDateF {
					err = fmt.Errorf("Time format contains date field.")
				}
				if err != nil {
					return nil, fmt.Errorf("Failed to parse time '%s' with formatter '%s': %w", text, pattern, err)
				}
				return types.Time(c.milliOfDay()), nil
			}},
	)
	mathRegister("FORMAT_TIME", dtCategory, "Converts a TIME value into the string representation of the time in the given format. Single quotes in the time format can be escaped with '', for example: 'HH:mm''T'''.",
		Overload{Params: []string{"TIME", "STRING"}, Names: []string{"time", "formatPattern"}, Returns: "STRING", NullOnNull: true,
			Impl: func(a []any) (any, error) {
				v := dtTimeValue(int64(a[0].(types.Time)))
				return dtFormat(v, a[1].(string), "time", v.t.Format("15:04:05.999"))
			}},
	)

	mathRegister("CONVERT_TZ", dtCategory, "Converts a TIMESTAMP value from one time zone to another. Time zones are given as java.time.ZoneId IDs, e.g. 'America/Los_Angeles', 'UTC', '+0200'.",
		Overload{Params: []string{"TIMESTAMP", "STRING", "STRING"}, Names: []string{"timestamp", "fromTimeZone", "toTimeZone"}, Returns: "TIMESTAMP", NullOnNull: true,
			Impl: func(a []any) (any, error) {
				ts := int64(a[0].(types.Timestamp))
				from, err := dtZoneArg(a[1])
				if err != nil {
					return nil, err
				}
				to, err := dtZoneArg(a[2])
				if err != nil {
					return nil, err
				}
				at := time.UnixMilli(ts)
				_, fo := at.In(from.loc).Zone()
				_, too := at.In(to.loc).Zone()
				return types.Timestamp(ts + int64(too-fo)*1000), nil
			}},
	)

	dtRegisterInterval("DATEADD", "Adds a duration to a DATE value.", types.DATE, false)
	dtRegisterInterval("DATESUB", "Subtracts a duration from a DATE value.", types.DATE, true)
	dtRegisterInterval("TIMEADD", "Adds a duration to a TIME value.", types.TIME, false)
	dtRegisterInterval("TIMESUB", "Subtracts a duration from a TIME value.", types.TIME, true)
	dtRegisterInterval("TIMESTAMPADD", "Adds a duration to a TIMESTAMP value.", types.TIMESTAMP, false)
	dtRegisterInterval("TIMESTAMPSUB", "Subtracts a duration from a TIMESTAMP value.", types.TIMESTAMP, true)
}

func dtFloorDiv(a, b int64) int64 {
	q := a / b
	if (a%b != 0) && (a < 0) != (b < 0) {
		q--
	}
	return q
}

// dtUnitNanos are java.util.concurrent.TimeUnit's, by the names ksqlDB's grammar accepts
// (singular or plural).
var dtUnitNanos = map[string]int64{
	"NANOSECOND": 1, "MICROSECOND": 1e3, "MILLISECOND": 1e6, "SECOND": 1e9, "MINUTE": 60e9,
	"HOUR": 3600e9, "DAY": 86400e9,
}

// dtUnitOf returns the nanoseconds of a time unit name ("DAYS", "second", ...).
func dtUnitOf(v any) (int64, bool) {
	s, ok := v.(string)
	if !ok {
		return 0, false
	}
	s = strings.ToUpper(strings.TrimSpace(s))
	if n, ok := dtUnitNanos[s]; ok {
		return n, true
	}
	n, ok := dtUnitNanos[strings.TrimSuffix(s, "S")]
	return n, ok
}

// dtConvert is TimeUnit.convert: n units of unitNanos in units of toNanos, saturating on
// overflow and truncating towards zero.
func dtConvert(n, unitNanos, toNanos int64) int64 {
	if unitNanos >= toNanos {
		f := unitNanos / toNanos
		if n > math.MaxInt64/f {
			return math.MaxInt64
		}
		if n < math.MinInt64/f {
			return math.MinInt64
		}
		return n * f
	}
	return n / (toNanos / unitNanos)
}

// dtRegisterInterval registers DATEADD-like functions: (unit, INT interval, target). The
// unit arrives as a constant STRING argument holding its name.
func dtRegisterInterval(name, desc string, target *types.Type, sub bool) {
	sigs := []string{name + "(unit INTERVALUNIT, interval INT, " + strings.ToLower(target.String()) + " " + target.String() + ")"}
	bind := func(args []Arg, _ Config) (*types.Type, Impl, error) {
		isNull := func(a Arg) bool { return a.Lambda == nil && (a.Type == nil || a.Type.Kind == types.KNull) }
		ok := len(args) == 3 && args[0].Lambda == nil && args[0].Type != nil && args[0].Type.Kind == types.KString &&
			args[0].Const && (isNull(args[1]) || args[1].Lambda == nil && args[1].Type.Kind == types.KInt) &&
			(isNull(args[2]) || args[2].Lambda == nil && args[2].Type.Kind == target.Kind)
		if !ok {
			return nil, nil, NoMatch(name, args, nil)
		}
		unit, ok := dtUnitOf(args[0].Value)
		if !ok {
			return nil, nil, fmt.Errorf("Unknown time unit '%v' for function '%s': expected one of DAYS, HOURS, MINUTES, SECONDS, MILLISECONDS", args[0].Value, strings.ToLower(name))
		}
		impl := func(a []any) (any, error) {
			if a[1] == nil || a[2] == nil {
				return nil, nil
			}
			n := int64(a[1].(int32))
			switch v := a[2].(type) {
			case types.Date:
				d := dtConvert(n, unit, 1e6)
				ms := int64(v) * 86400000
				if sub {
					ms -= d
				} else {
					ms += d
				}
				days := ms / 86400000 // TimeUnit.MILLISECONDS.toDays truncates
				if days < math.MinInt32 || days > math.MaxInt32 {
					return nil, fmt.Errorf("%s: date out of range", strings.ToLower(name))
				}
				return types.Date(days), nil
			case types.Time:
				const day = int64(86400e9)
				d := dtConvert(n, unit, 1) % day
				if sub {
					d = -d
				}
				ns := ((int64(v)*1e6+d)%day + day) % day
				return types.Time(ns / 1e6), nil
			case types.Timestamp:
				d := dtConvert(n, unit, 1e6)
				if sub {
					return types.Timestamp(int64(v) - d), nil
				}
				return types.Timestamp(int64(v) + d), nil
			}
			return nil, fmt.Errorf("%s: unexpected %T", strings.ToLower(name), a[2])
		}
		return target, impl, nil
	}
	builtinScalars = append(builtinScalars, &Scalar{Name: name, Description: desc, Category: dtCategory, Signatures: sigs, Bind: bind})
}
