package format

import (
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/ksqlgo/ksqlgo/sql/types"
)

// fieldUse is what a pruned JSON codec does with one column when decoding.
type fieldUse uint8

const (
	fieldDecoded fieldUse = iota // coerced into the row
	fieldChecked                 // coerced to check it, NULL in the row
	fieldIgnored                 // NULL in the row: its coercion cannot fail
)

// Prune returns a codec that decodes rows as c does, except that the columns used does
// not mark are NULL in the decoded rows, and that it does less work for them: columns
// whose coercion cannot fail (STRING) are not coerced, the others are only checked, and
// the members of the object that no decoded column can be read allocate nothing. It fails
// on exactly the input c fails on, with the same errors, so a query that reads few columns
// of a wide source drops the same records as ksqlDB, which deserializes every column.
// Encode is c's. used has one entry per column of c; for anything but a wrapped JSON
// codec, or a used that marks every column, Prune returns c.
func Prune(c Codec, used []bool) Codec {
	jc, ok := c.(*jsonCodec)
	if !ok || !jc.wrapped || jc.use != nil || len(used) != len(jc.cols) {
		return c
	}
	p := newJSONCodec(jc.cols, true)
	p.use = make([]fieldUse, len(jc.cols))
	var keep, view []string // the columns whose members are read fully, or as views
	pruned := false
	for i, col := range jc.cols {
		switch k := col.Type.Kind; {
		case used[i]:
			p.use[i] = fieldDecoded
			keep = append(keep, col.Name)
		case k == types.KString || k == types.KNull:
			p.use[i] = fieldIgnored
		case k == types.KArray || k == types.KMap || k == types.KStruct:
			p.use[i] = fieldChecked
			keep = append(keep, col.Name)
		default:
			p.use[i] = fieldChecked
			view = append(view, col.Name)
		}
		pruned = pruned || p.use[i] != fieldDecoded
	}
	if !pruned {
		return c
	}
	inKeep, inView := matcher(keep), matcher(view)
	p.member = func(name string) memberMode {
		switch {
		case inKeep(name):
			return memberKeep
		case inView(name):
			return memberView
		}
		return memberSkip
	}
	return p
}

// matcher returns the function that says whether an object member can be the value of
// one of the named columns: its name is a column's name, exactly or once upper-cased (see
// objIndex).
func matcher(names []string) func(member string) bool {
	if len(names) <= 8 {
		return func(member string) bool {
			for _, n := range names {
				if member == n || upperEquals(member, n) {
					return true
				}
			}
			return false
		}
	}
	set := make(map[string]struct{}, len(names))
	for _, n := range names {
		set[n] = struct{}{}
	}
	return func(member string) bool {
		if _, ok := set[member]; ok {
			return true
		}
		var buf [64]byte
		if len(member) > len(buf) {
			_, ok := set[strings.ToUpper(member)]
			return ok
		}
		for i := range len(member) {
			c := member[i]
			if c >= utf8.RuneSelf {
				_, ok := set[strings.ToUpper(member)]
				return ok
			}
			if 'a' <= c && c <= 'z' {
				c -= 'a' - 'A'
			}
			buf[i] = c
		}
		_, ok := set[string(buf[:len(member)])]
		return ok
	}
}

// checkJSON returns the error coerceJSON(n, t) returns, allocating nothing for the common
// primitive cases. It keeps nothing of n, which may share the input's memory.
func checkJSON(n *jnode, t *types.Type) error {
	if n.kind == jNull {
		return nil
	}
	switch t.Kind {
	case types.KNull, types.KString:
		return nil
	case types.KBoolean:
		if n.kind == jTrue || n.kind == jFalse {
			return nil
		}
	case types.KDouble:
		if n.kind == jNumber {
			if _, err := strconv.ParseFloat(n.text, 64); err == nil {
				return nil
			}
		}
	case types.KInt, types.KBigint, types.KDate, types.KTimestamp:
		if n.kind == jNumber && !n.frac {
			if _, err := strconv.ParseInt(n.text, 10, 64); err == nil {
				return nil // as numberLow64, then a truncation that cannot fail
			}
		}
	}
	_, err := coerceJSON(n, t)
	return err
}
