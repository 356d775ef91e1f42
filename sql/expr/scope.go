package expr

import (
	"fmt"
	"strings"

	"github.com/ksqlgo/ksqlgo/sql/parser"
	"github.com/ksqlgo/ksqlgo/sql/types"
)

// Col is a column visible to expressions: Source is the (upper-case or quoted) name or
// alias of the source it comes from ("" when unqualified only), Slot its index in the row.
type Col struct {
	Source string
	Name   string
	Type   *types.Type
	Slot   int
}

// Scope is the set of columns an expression may reference.
type Scope struct {
	Cols []Col
	// Sources are the names and aliases that may qualify a column (for error messages).
	Sources []string
	// Width is the row width the compiled closures expect; lambda parameters are placed
	// after it.
	Width int
	// Unknown, when set, formats the error for an unresolvable column (ksqlDB words it
	// differently per clause).
	Unknown func(ref *parser.ColumnRef) error
	// Params are the parameters of the lambdas enclosing the expression, innermost
	// first. An unqualified name that is a parameter means the parameter, hiding any
	// column of that name, and is resolved before the compiler's hooks.
	Params []Col
}

// param returns the lambda parameter an unqualified reference names.
func (s *Scope) param(ref *parser.ColumnRef) (Col, bool) {
	if ref.Source != nil {
		return Col{}, false
	}
	for _, p := range s.Params {
		if p.Name == ref.Name.Name {
			return p, true
		}
	}
	return Col{}, false
}

// Resolve finds the column a reference names.
func (s *Scope) Resolve(ref *parser.ColumnRef) (Col, error) {
	if p, ok := s.param(ref); ok {
		return p, nil
	}
	var found []Col
	for _, c := range s.Cols {
		if c.Name != ref.Name.Name {
			continue
		}
		if ref.Source != nil && c.Source != ref.Source.Name {
			continue
		}
		found = append(found, c)
	}
	if ref.Source != nil && len(found) == 0 {
		known := false
		for _, src := range s.Sources {
			if src == ref.Source.Name {
				known = true
			}
		}
		if !known {
			return Col{}, errorAt(ref.Pos, "'%s' is not a valid stream/table name or alias.", ref.Source.Name)
		}
	}
	switch len(found) {
	case 0:
		if s.Unknown != nil {
			return Col{}, s.Unknown(ref)
		}
		return Col{}, errorAt(ref.Pos, "Column '%s' cannot be resolved.", RefText(ref))
	case 1:
		return found[0], nil
	}
	// The same slot seen through several names is not ambiguous.
	for _, f := range found[1:] {
		if f.Slot != found[0].Slot {
			return Col{}, errorAt(ref.Pos, "Column '%s' is ambiguous. Could be any of: %s", ref.Name.Name, candidates(found))
		}
	}
	return found[0], nil
}

func candidates(cs []Col) string {
	parts := make([]string, len(cs))
	for i, c := range cs {
		parts[i] = c.Source + "." + c.Name
	}
	return strings.Join(parts, ", ")
}

// RefText renders a column reference as ksqlDB does in messages: "SRC.NAME" or "NAME".
func RefText(ref *parser.ColumnRef) string {
	if ref.Source != nil {
		return ref.Source.Name + "." + ref.Name.Name
	}
	return ref.Name.Name
}

// Error is a compile error with the position of the expression it is about.
type Error struct {
	Pos parser.Pos
	Msg string
}

func (e *Error) Error() string { return e.Msg }

func errorAt(pos parser.Pos, format string, args ...any) error {
	return &Error{Pos: pos, Msg: fmt.Sprintf(format, args...)}
}
