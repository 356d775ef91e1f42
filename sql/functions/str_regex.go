package functions

import (
	"fmt"

	"github.com/ksqlgo/ksqlgo/sql/types"
)

// Regular expression functions: REGEXP_EXTRACT, REGEXP_EXTRACT_ALL, REGEXP_REPLACE,
// REGEXP_SPLIT_TO_ARRAY. Patterns use Java's syntax as far as Go's RE2 supports it (see
// strJavaRegex); a constant pattern compiles once per call site, others are cached per
// call site while they repeat. An invalid pattern is a per-row error, as in ksqlDB.

func init() {
	builtinScalars = append(builtinScalars,
		strScalar("REGEXP_EXTRACT", "STRING",
			"Returns the first substring of input matching pattern, or its capturing group; NULL when nothing matches.",
			Overload{Params: []string{"STRING", "STRING"}, Names: []string{"pattern", "input"}, Returns: "STRING", NullOnNull: true,
				Make: func(args []Arg, _ *types.Type) (Impl, error) { return strRegexExtract(args, false), nil }},
			Overload{Params: []string{"STRING", "STRING", "INT"}, Names: []string{"pattern", "input", "group"}, Returns: "STRING", NullOnNull: true,
				Make: func(args []Arg, _ *types.Type) (Impl, error) { return strRegexExtract(args, false), nil }}),
		strScalar("REGEXP_EXTRACT_ALL", "STRING",
			"Returns every substring of input matching pattern, or their capturing group.",
			Overload{Params: []string{"STRING", "STRING"}, Names: []string{"pattern", "input"}, Returns: "ARRAY<STRING>", NullOnNull: true,
				Make: func(args []Arg, _ *types.Type) (Impl, error) { return strRegexExtract(args, true), nil }},
			Overload{Params: []string{"STRING", "STRING", "INT"}, Names: []string{"pattern", "input", "group"}, Returns: "ARRAY<STRING>", NullOnNull: true,
				Make: func(args []Arg, _ *types.Type) (Impl, error) { return strRegexExtract(args, true), nil }}),
		strScalar("REGEXP_REPLACE", "STRING",
			"Replaces every substring of input matching regex with replacement ($1 refers to a capturing group).",
			Overload{Params: []string{"STRING", "STRING", "STRING"}, Names: []string{"input", "regex", "replacement"}, Returns: "STRING", NullOnNull: true,
				Make: func(args []Arg, _ *types.Type) (Impl, error) {
					cache := newStrRegexCache(args[1])
					return func(a []any) (any, error) {
						re, err := cache.get(a[1].(string))
						if err != nil {
							return nil, err
						}
						tmpl, err := strJavaReplacement(a[2].(string), re)
						if err != nil {
							return nil, err
						}
						in := a[0].(string)
						var out []byte
						last := 0
						for _, m := range strJavaFindAll(re, in) {
							out = append(out, in[last:m[0]]...)
							out = re.ExpandString(out, tmpl, in, m)
							last = m[1]
						}
						return string(append(out, in[last:]...)), nil
					}, nil
				}}),
		strScalar("REGEXP_SPLIT_TO_ARRAY", "STRING",
			"Splits a string into an array of substrings at the matches of a regular expression.",
			Overload{Params: []string{"STRING", "STRING"}, Names: []string{"string", "regexp"}, Returns: "ARRAY<STRING>", NullOnNull: true,
				Make: func(args []Arg, _ *types.Type) (Impl, error) {
					cache := newStrRegexCache(args[1])
					return func(a []any) (any, error) {
						p := a[1].(string)
						re, err := cache.get(p)
						if err != nil {
							return nil, err
						}
						s := a[0].(string)
						if p == "" || re.MatchString("") {
							// Java's Pattern.split semantics for patterns matching the empty string.
							return strJavaSplit(s, strJavaFindAll(re, s)), nil
						}
						// Guava's Splitter: every piece, empty ones included.
						return strArrayOf(re.Split(s, -1)), nil
					}, nil
				}}),
	)
}

// strRegexExtract builds REGEXP_EXTRACT (all=false) or REGEXP_EXTRACT_ALL: the pattern
// is the first argument, the input the second, the optional group (default 0) the third.
func strRegexExtract(args []Arg, all bool) Impl {
	cache := newStrRegexCache(args[0])
	return func(a []any) (any, error) {
		re, err := cache.get(a[0].(string))
		if err != nil {
			return nil, err
		}
		in := a[1].(string)
		group := 0
		if len(a) > 2 {
			group = int(a[2].(int32))
		}
		if group > re.NumSubexp() {
			return nil, nil
		}
		if !all {
			m := re.FindStringSubmatchIndex(in)
			if m == nil {
				return nil, nil
			}
			return strGroup(in, m, group)
		}
		out := []any{}
		for _, m := range strJavaFindAll(re, in) {
			g, err := strGroup(in, m, group)
			if err != nil {
				return nil, err
			}
			out = append(out, g)
		}
		return out, nil
	}
}

// strGroup returns capturing group g of a match: nil when it did not participate.
func strGroup(in string, m []int, g int) (any, error) {
	if g < 0 {
		return nil, fmt.Errorf("No group %d", g)
	}
	if m[2*g] < 0 {
		return nil, nil
	}
	return in[m[2*g]:m[2*g+1]], nil
}
