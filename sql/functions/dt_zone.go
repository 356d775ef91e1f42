package functions

import (
	"fmt"
	"sort"
	"strings"
	"sync"
	"time"

	_ "time/tzdata" // time zones work on machines without a zoneinfo database
)

// dtZone is a java.time.ZoneId: a region ("America/New_York", "UTC") or a fixed offset
// ("+02:00", "Z").
type dtZone struct {
	id    string
	loc   *time.Location
	fixed bool // a ZoneOffset
}

var (
	dtZoneCache   sync.Map // id -> *dtZone or error
	dtZoneUTC     = &dtZone{id: "UTC", loc: time.UTC}
	dtZoneGMT     = &dtZone{id: "GMT", loc: time.FixedZone("GMT", 0)}
	dtZoneCacheMu sync.Mutex
	dtZoneCached  int
)

// dtZoneOf is Java's ZoneId.of: "Z", offsets ("+2", "+02", "+02:00", "+0200",
// "+02:00:30"), "UTC"/"GMT"/"UT" optionally followed by an offset, or a region ID of the
// tz database. Results are cached.
func dtZoneOf(id string) (*dtZone, error) {
	if v, ok := dtZoneCache.Load(id); ok {
		if z, ok := v.(*dtZone); ok {
			return z, nil
		}
		return nil, v.(error)
	}
	z, err := dtZoneParse(id)
	var v any = z
	if err != nil {
		v = err
	}
	dtZoneCacheMu.Lock()
	if dtZoneCached < 4096 {
		dtZoneCache.Store(id, v)
		dtZoneCached++
	}
	dtZoneCacheMu.Unlock()
	return z, err
}

func dtZoneParse(id string) (*dtZone, error) {
	switch {
	case id == "Z":
		return &dtZone{id: "Z", loc: time.FixedZone("Z", 0), fixed: true}, nil
	case strings.HasPrefix(id, "+") || strings.HasPrefix(id, "-"):
		off, err := dtOffsetOf(id)
		if err != nil {
			return nil, err
		}
		return dtFixedZone("", off), nil
	case id == "UTC":
		return dtZoneUTC, nil
	case id == "GMT":
		return dtZoneGMT, nil
	case id == "UT":
		return &dtZone{id: "UT", loc: time.FixedZone("UT", 0)}, nil
	}
	for _, prefix := range []string{"UTC", "GMT", "UT"} {
		if len(id) > len(prefix) && strings.HasPrefix(id, prefix) && (id[len(prefix)] == '+' || id[len(prefix)] == '-') {
			off, err := dtOffsetOf(id[len(prefix):])
			if err != nil {
				return nil, err
			}
			if off == 0 {
				return &dtZone{id: prefix, loc: time.FixedZone(prefix, 0)}, nil
			}
			z := dtFixedZone(prefix, off)
			z.fixed = false
			return z, nil
		}
	}
	if !dtValidRegionID(id) {
		return nil, fmt.Errorf("Invalid ID for region-based ZoneId, invalid format: %s", id)
	}
	if id == "Local" {
		return nil, fmt.Errorf("Unknown time-zone ID: %s", id)
	}
	loc, err := time.LoadLocation(id)
	if err != nil {
		return nil, fmt.Errorf("Unknown time-zone ID: %s", id)
	}
	return &dtZone{id: id, loc: loc}, nil
}

// dtValidRegionID checks Java's region ID syntax [A-Za-z][A-Za-z0-9~/._+-]+.
func dtValidRegionID(id string) bool {
	if len(id) < 2 {
		return false
	}
	for i := 0; i < len(id); i++ {
		c := id[i]
		letter := c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z'
		if i == 0 && !letter || !letter && !dtIsDigit(c) && strings.IndexByte("~/._+-", c) < 0 {
			return false
		}
	}
	return true
}

// dtFixedZone returns the zone of a fixed offset, named as Java names ZoneOffsets.
func dtFixedZone(prefix string, off int) *dtZone {
	id := dtOffsetID(off)
	if prefix != "" {
		id = prefix + id
	}
	return &dtZone{id: id, loc: time.FixedZone(id, off), fixed: true}
}

// dtOffsetID is ZoneOffset.getId: "Z", "+02:00", "-05:30", "+01:00:30".
func dtOffsetID(off int) string {
	if off == 0 {
		return "Z"
	}
	sign := "+"
	if off < 0 {
		sign = "-"
		off = -off
	}
	s := fmt.Sprintf("%s%02d:%02d", sign, off/3600, off/60%60)
	if off%60 != 0 {
		s += fmt.Sprintf(":%02d", off%60)
	}
	return s
}

// dtOffsetOf is ZoneOffset.of: "+h", "+hh", "+hh:mm", "+hhmm", "+hh:mm:ss", "+hhmmss".
func dtOffsetOf(s string) (int, error) {
	bad := fmt.Errorf("Invalid ID for ZoneOffset, invalid format: %s", s)
	if len(s) < 2 || s[0] != '+' && s[0] != '-' {
		return 0, bad
	}
	sign := 1
	if s[0] == '-' {
		sign = -1
	}
	num := func(a string) (int, bool) {
		if len(a) != 2 || !dtIsDigit(a[0]) || !dtIsDigit(a[1]) {
			return 0, false
		}
		return int(a[0]-'0')*10 + int(a[1]-'0'), true
	}
	var h, m, sec int
	ok := true
	r := s[1:]
	switch len(r) {
	case 1:
		if !dtIsDigit(r[0]) {
			return 0, bad
		}
		h = int(r[0] - '0')
	case 2:
		h, ok = num(r)
	case 4:
		h, ok = num(r[:2])
		if ok {
			m, ok = num(r[2:])
		}
	case 5:
		if r[2] != ':' {
			return 0, bad
		}
		h, ok = num(r[:2])
		if ok {
			m, ok = num(r[3:])
		}
	case 6:
		h, ok = num(r[:2])
		if ok {
			m, ok = num(r[2:4])
		}
		if ok {
			sec, ok = num(r[4:])
		}
	case 8:
		if r[2] != ':' || r[5] != ':' {
			return 0, bad
		}
		h, ok = num(r[:2])
		if ok {
			m, ok = num(r[3:5])
		}
		if ok {
			sec, ok = num(r[6:])
		}
	default:
		return 0, bad
	}
	if !ok {
		return 0, bad
	}
	switch {
	case h > 18:
		return 0, fmt.Errorf("Zone offset hours not in valid range: value %d is not in the range -18 to 18", sign*h)
	case m > 59:
		return 0, fmt.Errorf("Zone offset minutes not in valid range: value %d is not in the range -59 to 59", sign*m)
	case sec > 59:
		return 0, fmt.Errorf("Zone offset seconds not in valid range: value %d is not in the range -59 to 59", sign*sec)
	case h == 18 && (m > 0 || sec > 0):
		return 0, fmt.Errorf("Zone offset not in valid range: -18:00 to +18:00")
	}
	return sign * (h*3600 + m*60 + sec), nil
}

// dtZoneNames maps the zone names Java's 'z' parser knows (upper case) to the zone
// each stands for. Short names are ambiguous; these are Java's (CLDR's) preferred zones.
var dtZoneNames = map[string]string{
	"UTC": "UTC", "GMT": "GMT", "UT": "UT", "Z": "Z",
	"COORDINATED UNIVERSAL TIME": "UTC", "GREENWICH MEAN TIME": "GMT",
	"PST": "America/Los_Angeles", "PDT": "America/Los_Angeles", "PT": "America/Los_Angeles",
	"PACIFIC STANDARD TIME": "America/Los_Angeles", "PACIFIC DAYLIGHT TIME": "America/Los_Angeles", "PACIFIC TIME": "America/Los_Angeles",
	"MST": "America/Denver", "MDT": "America/Denver", "MT": "America/Denver",
	"MOUNTAIN STANDARD TIME": "America/Denver", "MOUNTAIN DAYLIGHT TIME": "America/Denver", "MOUNTAIN TIME": "America/Denver",
	"CST": "America/Chicago", "CDT": "America/Chicago", "CT": "America/Chicago",
	"CENTRAL STANDARD TIME": "America/Chicago", "CENTRAL DAYLIGHT TIME": "America/Chicago", "CENTRAL TIME": "America/Chicago",
	"EST": "America/New_York", "EDT": "America/New_York", "ET": "America/New_York",
	"EASTERN STANDARD TIME": "America/New_York", "EASTERN DAYLIGHT TIME": "America/New_York", "EASTERN TIME": "America/New_York",
	"AKST": "America/Anchorage", "AKDT": "America/Anchorage",
	"ALASKA STANDARD TIME": "America/Anchorage", "ALASKA DAYLIGHT TIME": "America/Anchorage",
	"HST": "Pacific/Honolulu", "HAWAII-ALEUTIAN STANDARD TIME": "Pacific/Honolulu", "HAWAII STANDARD TIME": "Pacific/Honolulu",
	"AST": "America/Halifax", "ADT": "America/Halifax", "ATLANTIC STANDARD TIME": "America/Halifax", "ATLANTIC DAYLIGHT TIME": "America/Halifax",
	"NST": "America/St_Johns", "NDT": "America/St_Johns",
	"BST": "Europe/London", "BRITISH SUMMER TIME": "Europe/London",
	"IST": "Asia/Kolkata", "INDIA STANDARD TIME": "Asia/Kolkata",
	"WET": "Europe/Lisbon", "WEST": "Europe/Lisbon",
	"WESTERN EUROPEAN STANDARD TIME": "Europe/Lisbon", "WESTERN EUROPEAN SUMMER TIME": "Europe/Lisbon",
	"CET": "Europe/Paris", "CEST": "Europe/Paris",
	"CENTRAL EUROPEAN STANDARD TIME": "Europe/Paris", "CENTRAL EUROPEAN SUMMER TIME": "Europe/Paris", "CENTRAL EUROPEAN TIME": "Europe/Paris",
	"EET": "Europe/Bucharest", "EEST": "Europe/Bucharest",
	"EASTERN EUROPEAN STANDARD TIME": "Europe/Bucharest", "EASTERN EUROPEAN SUMMER TIME": "Europe/Bucharest",
	"MSK": "Europe/Moscow", "MOSCOW STANDARD TIME": "Europe/Moscow",
	"JST": "Asia/Tokyo", "JAPAN STANDARD TIME": "Asia/Tokyo",
	"KST": "Asia/Seoul", "KOREAN STANDARD TIME": "Asia/Seoul",
	"HKT": "Asia/Hong_Kong", "HONG KONG STANDARD TIME": "Asia/Hong_Kong",
	"SGT": "Asia/Singapore", "SINGAPORE STANDARD TIME": "Asia/Singapore",
	"AEST": "Australia/Sydney", "AEDT": "Australia/Sydney",
	"AUSTRALIAN EASTERN STANDARD TIME": "Australia/Sydney", "AUSTRALIAN EASTERN DAYLIGHT TIME": "Australia/Sydney",
	"ACST": "Australia/Adelaide", "ACDT": "Australia/Adelaide",
	"AWST": "Australia/Perth",
	"NZST": "Pacific/Auckland", "NZDT": "Pacific/Auckland",
	"NEW ZEALAND STANDARD TIME": "Pacific/Auckland", "NEW ZEALAND DAYLIGHT TIME": "Pacific/Auckland",
	"SAST": "Africa/Johannesburg", "SOUTH AFRICA STANDARD TIME": "Africa/Johannesburg",
}

// dtZoneNamesByLength lists dtZoneNames' keys, longest first, for greedy parsing.
var dtZoneNamesByLength = func() []string {
	ks := make([]string, 0, len(dtZoneNames))
	for k := range dtZoneNames {
		ks = append(ks, k)
	}
	sort.Slice(ks, func(i, j int) bool {
		if len(ks[i]) != len(ks[j]) {
			return len(ks[i]) > len(ks[j])
		}
		return ks[i] < ks[j]
	})
	return ks
}()

// dtZoneFullNames are the long names 'zzzz' prints, by zone abbreviation.
var dtZoneFullNames = map[string]string{
	"UTC": "Coordinated Universal Time", "GMT": "Greenwich Mean Time",
	"PST": "Pacific Standard Time", "PDT": "Pacific Daylight Time",
	"MST": "Mountain Standard Time", "MDT": "Mountain Daylight Time",
	"CST": "Central Standard Time", "CDT": "Central Daylight Time",
	"EST": "Eastern Standard Time", "EDT": "Eastern Daylight Time",
	"AKST": "Alaska Standard Time", "AKDT": "Alaska Daylight Time",
	"HST": "Hawaii-Aleutian Standard Time", "AST": "Atlantic Standard Time", "ADT": "Atlantic Daylight Time",
	"BST": "British Summer Time", "IST": "India Standard Time",
	"WET": "Western European Standard Time", "WEST": "Western European Summer Time",
	"CET": "Central European Standard Time", "CEST": "Central European Summer Time",
	"EET": "Eastern European Standard Time", "EEST": "Eastern European Summer Time",
	"MSK": "Moscow Standard Time", "JST": "Japan Standard Time", "KST": "Korean Standard Time",
	"HKT": "Hong Kong Standard Time", "AEST": "Australian Eastern Standard Time",
	"AEDT": "Australian Eastern Daylight Time", "ACST": "Australian Central Standard Time",
	"ACDT": "Australian Central Daylight Time", "AWST": "Australian Western Standard Time",
	"NZST": "New Zealand Standard Time", "NZDT": "New Zealand Daylight Time",
	"SAST": "South Africa Standard Time",
}
