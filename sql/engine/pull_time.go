package engine

import (
	"fmt"
	"regexp"
	"strconv"
	"time"

	"github.com/ksqlgo/ksqlgo/sql/parser"
)

// windowBoundLiterals returns where with every string literal compared with WINDOWSTART
// or WINDOWEND replaced by its epoch milliseconds: pull queries accept window bounds as
// (partial) ISO-8601 date-times, as ksqlDB's PartialStringToTimestampParser reads them.
func windowBoundLiterals(where parser.Expr) (parser.Expr, error) {
	isBound := func(x parser.Expr) bool {
		ref, ok := x.(*parser.ColumnRef)
		return ok && (ref.Name.Name == colWindowStart || ref.Name.Name == colWindowEnd)
	}
	conv := func(x parser.Expr) (parser.Expr, error) {
		lit, ok := x.(*parser.Literal)
		if !ok || lit.Kind != parser.LitString {
			return x, nil
		}
		ms, err := parsePartialTimestamp(lit.Text)
		if err != nil {
			return nil, stmtErrAt(lit.Pos, "%v", err)
		}
		return &parser.Literal{Kind: parser.LitInteger, Text: strconv.FormatInt(ms, 10), Pos: lit.Pos}, nil
	}
	var err error
	var walk func(e parser.Expr) parser.Expr
	walk = func(e parser.Expr) parser.Expr {
		if err != nil {
			return e
		}
		switch x := e.(type) {
		case *parser.Binary:
			c := *x
			if _, isCmp := comparisonNames[x.Op]; isCmp {
				if isBound(x.L) {
					c.R, err = conv(x.R)
				} else if isBound(x.R) {
					c.L, err = conv(x.L)
				}
				return &c
			}
			c.L, c.R = walk(x.L), walk(x.R)
			return &c
		case *parser.Unary:
			c := *x
			c.X = walk(x.X)
			return &c
		case *parser.Between:
			if !isBound(x.X) {
				return e
			}
			c := *x
			if c.Lo, err = conv(x.Lo); err == nil {
				c.Hi, err = conv(x.Hi)
			}
			return &c
		case *parser.In:
			if !isBound(x.X) {
				return e
			}
			c := *x
			c.List = make([]parser.Expr, len(x.List))
			for i, item := range x.List {
				if c.List[i], err = conv(item); err != nil {
					break
				}
			}
			return &c
		}
		return e
	}
	out := walk(where)
	return out, err
}

// rePartialTimestamp matches yyyy[-MM[-dd[Thh[:mm[:ss[.fff]]]]]] and an optional zone.
var rePartialTimestamp = regexp.MustCompile(`^(\d{4})(?:-(\d{2})(?:-(\d{2})(?:T(\d{2})(?::(\d{2})(?::(\d{2})(?:\.(\d{1,3})\d*)?)?)?)?)?)?(Z|[+-]\d{2}:?\d{2})?$`)

// parsePartialTimestamp reads a date-time with any trailing part missing (defaulting to
// its smallest value) and an optional zone (default UTC); hour 24 is midnight of the
// next day.
func parsePartialTimestamp(s string) (int64, error) {
	m := rePartialTimestamp.FindStringSubmatch(s)
	if m == nil {
		return 0, fmt.Errorf("Failed to parse timestamp '%s': expected yyyy-MM-dd'T'HH:mm:ss.SSS with an optional zone", s)
	}
	num := func(i, def int) int {
		if m[i] == "" {
			return def
		}
		n, _ := strconv.Atoi(m[i])
		return n
	}
	ms := 0
	if m[7] != "" {
		frac := m[7]
		for len(frac) < 3 {
			frac += "0"
		}
		ms, _ = strconv.Atoi(frac)
	}
	loc := time.UTC
	if z := m[8]; z != "" && z != "Z" {
		sign := 1
		if z[0] == '-' {
			sign = -1
		}
		digits := z[1:]
		if len(digits) == 5 {
			digits = digits[:2] + digits[3:]
		}
		h, _ := strconv.Atoi(digits[:2])
		mi, _ := strconv.Atoi(digits[2:])
		loc = time.FixedZone(z, sign*(h*3600+mi*60))
	}
	t := time.Date(num(1, 0), time.Month(num(2, 1)), num(3, 1), num(4, 0), num(5, 0), num(6, 0), ms*int(time.Millisecond), loc)
	return t.UnixMilli(), nil
}
