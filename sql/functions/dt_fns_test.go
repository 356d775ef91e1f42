package functions

import (
	"strings"
	"testing"
	"time"

	"github.com/ksqlgo/ksqlgo/sql/types"
)

var (
	dtStr  = mathCol(types.STRING)
	dtDate = mathCol(types.DATE)
	dtTime = mathCol(types.TIME)
	dtTS   = mathCol(types.TIMESTAMP)
)

// dtRun evaluates fn on each row and compares results; a row whose want is an error
// string prefixed "ERR " expects an error containing the rest.
func dtRun(t *testing.T, fn string, args []Arg, rows []mathRow) {
	t.Helper()
	_, impl := mathBind(t, fn, args...)
	for _, r := range rows {
		got, err := impl(r.in)
		if s, ok := r.want.(string); ok && strings.HasPrefix(s, "ERR ") {
			if err == nil || !strings.Contains(err.Error(), s[4:]) {
				t.Errorf("%s%v: got %v, %v; want error %q", fn, r.in, got, err, s[4:])
			}
			continue
		}
		if err != nil {
			t.Errorf("%s%v: error %v", fn, r.in, err)
			continue
		}
		if !mathSame(got, r.want) {
			t.Errorf("%s%v = %s, want %s", fn, r.in, mathShow(got), mathShow(r.want))
		}
	}
}

// datestring.json and format-date.json
func TestDtDateToString(t *testing.T) {
	rows := []struct {
		days    int32
		pattern string
		want    string
	}{
		{17662, "yyyy-MM-dd", "2018-05-11"},
		{18027, "dd/MM/yyyy", "11/05/2019"},
		{18993, "dd-MMM-yyyy", "01-Jan-2022"},
		{0, "dd-MM-yyyy", "01-01-1970"},
		{-1, "dd-MM-yyyy'Sophia'", "31-12-1969Sophia"},
	}
	var a, b []mathRow
	for _, r := range rows {
		a = append(a, mathRow{[]any{r.days, r.pattern}, r.want})
		b = append(b, mathRow{[]any{types.Date(r.days), r.pattern}, r.want})
	}
	a = append(a, mathRow{[]any{nil, "yyyy"}, nil}, mathRow{[]any{int32(1), nil}, nil})
	b = append(b, mathRow{[]any{types.Date(0), "yyyy-MM-dd HH"}, "ERR Unsupported field: HourOfDay"},
		mathRow{[]any{types.Date(0), "yyyy z"}, "ERR Unable to extract ZoneId"})
	dtRun(t, "DATETOSTRING", []Arg{mInt, dtStr}, a)
	dtRun(t, "FORMAT_DATE", []Arg{dtDate, dtStr}, b)
}

// stringdate.json and parse-date.json
func TestDtStringToDate(t *testing.T) {
	rows := []struct {
		text, pattern string
		want          int32
	}{
		{"2018-05-11Lit", "yyyy-MM-dd'Lit'", 17662},
		{"11/05/2019", "dd/MM/yyyy", 18027},
		{"01-Jan-2022", "dd-MMM-yyyy", 18993},
		{"01-01-1970", "dd-MM-yyyy", 0},
		{"01-JAN-2022", "dd-MMM-yyyy", 18993},
		{"JAN-2022", "MMM-yyyy", 18993},
	}
	var a, b []mathRow
	for _, r := range rows {
		a = append(a, mathRow{[]any{r.text, r.pattern}, r.want})
		b = append(b, mathRow{[]any{r.text, r.pattern}, types.Date(r.want)})
	}
	a = append(a, mathRow{[]any{"foo", "yyyyMMdd"}, "ERR Failed to parse date 'foo' with formatter 'yyyyMMdd'"})
	b = append(b, mathRow{[]any{"2020-01-01 10", "yyyy-MM-dd HH"}, "ERR Date format contains time field."},
		mathRow{[]any{nil, "yyyy"}, nil})
	dtRun(t, "STRINGTODATE", []Arg{dtStr, dtStr}, a)
	dtRun(t, "PARSE_DATE", []Arg{dtStr, dtStr}, b)
}

// format-time.json and parse-time.json
func TestDtTimes(t *testing.T) {
	dtRun(t, "FORMAT_TIME", []Arg{dtTime, dtStr}, []mathRow{
		{[]any{types.Time(65000), "HH_mm_ss_SSS"}, "00_01_05_000"},
		{[]any{types.Time(1234567), "HHmmss'AAAAA'"}, "002034AAAAA"},
		{[]any{types.Time(0), "HH:mm:ss"}, "00:00:00"},
		{[]any{nil, "HH:mm:ss"}, nil},
		{[]any{types.Time(46800000), "hh:mm a"}, "01:00 PM"},
		{[]any{types.Time(0), "yyyy"}, "ERR Unsupported field: YearOfEra"},
	})
	dtRun(t, "PARSE_TIME", []Arg{dtStr, dtStr}, []mathRow{
		{[]any{"00:01:05Lit", "HH:mm:ss'Lit'"}, types.Time(65000)},
		{[]any{"11/05/19", "HH/mm/ss"}, types.Time(39919000)},
		{[]any{"01:00:00 PM", "hh:mm:ss a"}, types.Time(46800000)},
		{[]any{"01:00:00 Pm", "hh:mm:ss a"}, types.Time(46800000)},
		{[]any{"12:30:00 AM", "hh:mm:ss a"}, types.Time(1800000)},
		{[]any{"10:00 2020", "HH:mm yyyy"}, "ERR Time format contains date field."},
		{[]any{"25:00", "HH:mm"}, "ERR Invalid value for HourOfDay (valid values 0 - 23): 25"},
	})
}

// stringtimestamp.json, timestampformat.json
func TestDtStringToTimestamp(t *testing.T) {
	dtRun(t, "STRINGTOTIMESTAMP", []Arg{dtStr, mathLit(types.STRING, "yyyy-MM-dd'T'HH:mm:ssX")}, []mathRow{
		{[]any{"2018-05-11T21:58:33Z", "yyyy-MM-dd'T'HH:mm:ssX"}, int64(1526075913000)},
		{[]any{"2019-05-11T21:58:33Z", "yyyy-MM-dd'T'HH:mm:ssX"}, int64(1557611913000)},
		{[]any{"2020-05-11T21:58:33Z", "yyyy-MM-dd'T'HH:mm:ssX"}, int64(1589234313000)},
		{[]any{"2020-05-11T21:58:33z", "yyyy-MM-dd'T'HH:mm:ssX"}, int64(1589234313000)},
		{[]any{"2020-05-11T21:58:33+0200", "yyyy-MM-dd'T'HH:mm:ssX"}, int64(1589234313000 - 7200000)},
		{[]any{"not a timestamp", "yyyy-MM-dd'T'HH:mm:ssX"}, "ERR Failed to parse timestamp 'not a timestamp'"},
		{[]any{nil, "yyyy"}, nil},
	})
	dtRun(t, "STRINGTOTIMESTAMP", []Arg{dtStr, dtStr}, []mathRow{
		{[]any{"2019-08-27T13:31:09.2+0000", "yyyy-MM-dd'T'HH:mm:ss.SX"}, int64(1566912669200)},
		{[]any{"20190827133109123", "yyyyMMddHHmmssSSS"}, int64(1566912669123)},
	})
	dtRun(t, "STRINGTOTIMESTAMP", []Arg{dtStr, dtStr, dtStr}, []mathRow{
		{[]any{"2018-05-11 21:58:33", "yyyy-MM-dd HH:mm:ss", "America/Los_Angeles"}, int64(1526101113000)},
		{[]any{"2018-05-11 21:58:33Z", "yyyy-MM-dd HH:mm:ssX", "America/Los_Angeles"}, int64(1526075913000)},
		{[]any{"2018-05-11", "yyyy-MM-dd", "Nowhere/Land"}, "ERR Unknown time-zone ID: Nowhere/Land"},
		{[]any{"2018-05-11", "yyyy-MM-dd", nil}, nil},
	})
	dtRun(t, "PARSE_TIMESTAMP", []Arg{dtStr, dtStr}, []mathRow{
		{[]any{"2018-05-11T21:58:33", "yyyy-MM-dd'T'HH:mm:ss"}, types.Timestamp(1526075913000)},
		{[]any{"2019-05-11T21:58:33", "yyyy-MM-dd'T'HH:mm:ss"}, types.Timestamp(1557611913000)},
		{[]any{"2020-05-11T21:58:33", "yyyy-MM-dd'T'HH:mm:ss"}, types.Timestamp(1589234313000)},
		{[]any{"2018-05-11T21:58:33 PST", "yyyy-MM-dd'T'HH:mm:ss zzz"}, types.Timestamp(1526101113000)},
		{[]any{"2019-05-11T21:58:33 PST", "yyyy-MM-dd'T'HH:mm:ss zzz"}, types.Timestamp(1557637113000)},
		{[]any{"2020-05-11T21:58:33 PST", "yyyy-MM-dd'T'HH:mm:ss zzz"}, types.Timestamp(1589259513000)},
		{[]any{"2020-05-11T21:58:33 America/New_York", "yyyy-MM-dd'T'HH:mm:ss VV"}, types.Timestamp(1589248713000)},
		{[]any{"2020-05-11T21:58:33 Etc/UTC", "yyyy-MM-dd'T'HH:mm:ss VV"}, types.Timestamp(1589234313000)},
		{[]any{"2020-05-11T21:58:33 GMT+02:00", "yyyy-MM-dd'T'HH:mm:ss ZZZZ"}, types.Timestamp(1589234313000 - 7200000)},
	})
}

// pull-queries-against-materialized-aggregates.json, scalable-push-queries.json
func TestDtTimestampToString(t *testing.T) {
	dtRun(t, "TIMESTAMPTOSTRING", []Arg{mBigint, dtStr, dtStr}, []mathRow{
		{[]any{int64(1580318385000), "yyyy-MM-dd HH:mm:ss Z", "UTC"}, "2020-01-29 17:19:45 +0000"},
		{[]any{int64(1580223282000), "yyyy-MM-dd HH:mm:ss Z", "UTC"}, "2020-01-28 14:54:42 +0000"},
		{[]any{int64(1580223282000), "yyyy-MM-dd HH:mm:ss zzz", "America/Los_Angeles"}, "2020-01-28 06:54:42 PST"},
		{[]any{int64(1589234313000), "yyyy-MM-dd HH:mm:ss zzzz", "America/Los_Angeles"}, "2020-05-11 14:58:33 Pacific Daylight Time"},
		{[]any{int64(1589234313000), "HH:mm XXX VV", "+05:30"}, "03:28 +05:30 +05:30"},
		{[]any{int64(1589234313000), "HH:mm", "Mars/Olympus"}, "ERR Invalid time zone: Unknown time-zone ID: Mars/Olympus"},
	})
	dtRun(t, "TIMESTAMPTOSTRING", []Arg{mBigint, dtStr}, []mathRow{
		{[]any{int64(1526075913000), "yyyy-MM-dd'T'HH:mm:ssX"}, "2018-05-11T21:58:33Z"},
		{[]any{int64(1526075913123), "yyyy-MM-dd'T'HH:mm:ss.SSS"}, "2018-05-11T21:58:33.123"},
		{[]any{int64(-1), "yyyy-MM-dd HH:mm:ss.SSS"}, "1969-12-31 23:59:59.999"},
		{[]any{int64(0), "yyyy-MM-dd bb"}, "ERR Unknown pattern letter: b"},
		{[]any{nil, "yyyy"}, nil},
	})
	dtRun(t, "FORMAT_TIMESTAMP", []Arg{dtTS, dtStr}, []mathRow{
		{[]any{types.Timestamp(1589234313000), "yyyy-MM-dd'T'HH:mm:ss z"}, "2020-05-11T21:58:33 GMT"},
	})
	dtRun(t, "FORMAT_TIMESTAMP", []Arg{dtTS, dtStr, dtStr}, []mathRow{
		{[]any{types.Timestamp(1589234313000), "yyyy-MM-dd'T'HH:mm:ssXXX", "Asia/Kolkata"}, "2020-05-12T03:28:33+05:30"},
	})
}

// from-days.json, from-unixtime.json, unix-date.json, unix-timestamp.json
func TestDtConversions(t *testing.T) {
	dtRun(t, "FROM_DAYS", []Arg{mInt}, []mathRow{{[]any{int32(10)}, types.Date(10)}, {[]any{int32(-10)}, types.Date(-10)}, {[]any{nil}, nil}})
	dtRun(t, "FROM_UNIXTIME", []Arg{mBigint}, []mathRow{{[]any{int64(100)}, types.Timestamp(100)}, {[]any{int64(1589234313000)}, types.Timestamp(1589234313000)}, {[]any{nil}, nil}})
	dtRun(t, "UNIX_DATE", []Arg{dtDate}, []mathRow{{[]any{types.Date(10)}, int32(10)}, {[]any{types.Date(100)}, int32(100)}, {[]any{nil}, nil}})
	dtRun(t, "UNIX_TIMESTAMP", []Arg{dtTS}, []mathRow{{[]any{types.Timestamp(100)}, int64(100)}, {[]any{nil}, nil}})

	old := dtNow
	t.Cleanup(func() { dtNow = old })
	dtNow = func() time.Time { return time.UnixMilli(1589234313000) }
	dtRun(t, "UNIX_TIMESTAMP", nil, []mathRow{{nil, int64(1589234313000)}})
	dtRun(t, "UNIX_DATE", nil, []mathRow{{nil, int32(18393)}})
	dtNow = func() time.Time { return time.UnixMilli(-1) }
	dtRun(t, "UNIX_DATE", nil, []mathRow{{nil, int32(-1)}})
}

// convert-tz.json
func TestDtConvertTz(t *testing.T) {
	for _, zones := range [][2]string{{"+0200", "+0500"}, {"America/Los_Angeles", "America/New_York"}} {
		args := []Arg{dtTS, mathLit(types.STRING, zones[0]), mathLit(types.STRING, zones[1])}
		dtRun(t, "CONVERT_TZ", args, []mathRow{
			{[]any{types.Timestamp(100), zones[0], zones[1]}, types.Timestamp(10800100)},
			{[]any{types.Timestamp(1589234313000), zones[0], zones[1]}, types.Timestamp(1589245113000)},
			{[]any{nil, zones[0], zones[1]}, nil},
		})
	}
	dtRun(t, "CONVERT_TZ", []Arg{dtTS, dtStr, dtStr}, []mathRow{
		{[]any{types.Timestamp(0), "UTC", "bad zone"}, "ERR Invalid time zone"},
		{[]any{types.Timestamp(0), "+19", "UTC"}, "ERR Invalid time zone"},
	})
}

// timeadd.json, timestampadd.json, timestampsub.json, datesub.json
func TestDtIntervals(t *testing.T) {
	unit := func(u string) Arg { return mathLit(types.STRING, u) }
	dtRun(t, "TIMEADD", []Arg{unit("MILLISECONDS"), mathLit(types.INT, int32(10)), dtTime}, []mathRow{
		{[]any{"MILLISECONDS", int32(10), types.Time(10)}, types.Time(20)},
		{[]any{"MILLISECONDS", int32(10), types.Time(86399995)}, types.Time(5)},
	})
	dtRun(t, "TIMEADD", []Arg{unit("MILLISECONDS"), mInt, dtTime}, []mathRow{
		{[]any{"MILLISECONDS", int32(-5), types.Time(5)}, types.Time(0)},
		{[]any{"MILLISECONDS", int32(-5), types.Time(10)}, types.Time(5)},
		{[]any{"MILLISECONDS", int32(-5), types.Time(2)}, types.Time(86399997)},
		{[]any{"MILLISECONDS", int32(5), nil}, nil},
		{[]any{"MILLISECONDS", nil, types.Time(5)}, nil},
		{[]any{"MILLISECONDS", nil, nil}, nil},
	})
	dtRun(t, "TIMESUB", []Arg{unit("HOURS"), mInt, dtTime}, []mathRow{
		{[]any{"HOURS", int32(1), types.Time(0)}, types.Time(23 * 3600000)},
		{[]any{"HOURS", int32(49), types.Time(0)}, types.Time(23 * 3600000)},
	})
	dtRun(t, "TIMESTAMPADD", []Arg{unit("MILLISECONDS"), mInt, dtTS}, []mathRow{
		{[]any{"MILLISECONDS", int32(10), types.Timestamp(10)}, types.Timestamp(20)},
		{[]any{"MILLISECONDS", int32(-5), types.Timestamp(5)}, types.Timestamp(0)},
		{[]any{"MILLISECONDS", int32(-5), types.Timestamp(2)}, types.Timestamp(-3)},
		{[]any{"MILLISECONDS", nil, types.Timestamp(2)}, nil},
	})
	dtRun(t, "TIMESTAMPADD", []Arg{unit("days"), mInt, dtTS}, []mathRow{
		{[]any{"days", int32(1), types.Timestamp(0)}, types.Timestamp(86400000)},
	})
	dtRun(t, "TIMESTAMPSUB", []Arg{unit("MILLISECONDS"), mInt, dtTS}, []mathRow{
		{[]any{"MILLISECONDS", int32(10), types.Timestamp(20)}, types.Timestamp(10)},
		{[]any{"MILLISECONDS", int32(-5), types.Timestamp(5)}, types.Timestamp(10)},
		{[]any{"MILLISECONDS", int32(-5), types.Timestamp(0)}, types.Timestamp(5)},
		{[]any{"MILLISECONDS", int32(-5), types.Timestamp(-100)}, types.Timestamp(-95)},
		{[]any{"MILLISECONDS", nil, nil}, nil},
	})
	dtRun(t, "DATESUB", []Arg{unit("DAYS"), mInt, dtDate}, []mathRow{
		{[]any{"DAYS", int32(10), types.Date(40)}, types.Date(30)},
		{[]any{"DAYS", int32(10), types.Date(5)}, types.Date(-5)},
		{[]any{"DAYS", int32(-5), types.Date(5)}, types.Date(10)},
		{[]any{"DAYS", int32(-5), types.Date(-5)}, types.Date(0)},
	})
	dtRun(t, "DATESUB", []Arg{unit("MILLISECONDS"), mInt, dtDate}, []mathRow{
		{[]any{"MILLISECONDS", int32(5), nil}, nil},
		{[]any{"MILLISECONDS", nil, types.Date(5)}, nil},
	})
	dtRun(t, "DATEADD", []Arg{unit("DAY"), mInt, dtDate}, []mathRow{
		{[]any{"DAY", int32(3), types.Date(5)}, types.Date(8)},
	})
	for _, c := range []struct {
		fn   string
		arg  Arg
		want string
	}{
		{"TIMEADD", dtTime, "Function 'timeadd' does not accept parameters (TIME, INTEGER, TIME)."},
		{"TIMESTAMPADD", dtTS, "Function 'timestampadd' does not accept parameters (TIMESTAMP, INTEGER, TIMESTAMP)."},
		{"TIMESTAMPSUB", dtTS, "Function 'timestampsub' does not accept parameters (TIMESTAMP, INTEGER, TIMESTAMP)."},
		{"DATESUB", dtDate, "Function 'datesub' does not accept parameters (DATE, INTEGER, DATE)."},
	} {
		if got := mathBindErr(t, c.fn, c.arg, mathLit(types.INT, int32(5)), c.arg); !strings.Contains(got, c.want) {
			t.Errorf("%s: error %q, want %q", c.fn, got, c.want)
		}
	}
	if got := mathBindErr(t, "DATEADD", unit("FORTNIGHTS"), mInt, dtDate); got == "" {
		t.Error("DATEADD(FORTNIGHTS, ...): want an error")
	}
	if got := mathBindErr(t, "DATEADD", unit("DAYS"), mBigint, dtDate); !strings.Contains(got, "does not accept parameters") {
		t.Errorf("DATEADD(DAYS, BIGINT, DATE): error %q", got)
	}
}

func TestDtExported(t *testing.T) {
	ms, err := ParseJavaTimestamp("2019-08-27T13:31:09.2+0000", "yyyy-MM-dd'T'HH:mm:ss.SX", "")
	if err != nil || ms != 1566912669200 {
		t.Errorf("ParseJavaTimestamp = %d, %v", ms, err)
	}
	ms, err = ParseJavaTimestamp("2018-05-11 21:58:33", "yyyy-MM-dd HH:mm:ss", "America/Los_Angeles")
	if err != nil || ms != 1526101113000 {
		t.Errorf("ParseJavaTimestamp in a zone = %d, %v", ms, err)
	}
	if _, err := ParseJavaTimestamp("not a timestamp", "yyyy-MM-dd'T'HH:mm:ssX", ""); err == nil {
		t.Error("ParseJavaTimestamp of garbage: want an error")
	}
	s, err := FormatJavaTimestamp(1580318385000, "yyyy-MM-dd HH:mm:ss Z", "")
	if err != nil || s != "2020-01-29 17:19:45 +0000" {
		t.Errorf("FormatJavaTimestamp = %q, %v", s, err)
	}
	if CheckJavaPattern("yyyy-MM-dd'T'HH:mm:ssX") != nil || CheckJavaPattern("yyyy-MM-dd'T") == nil {
		t.Error("CheckJavaPattern")
	}
}
