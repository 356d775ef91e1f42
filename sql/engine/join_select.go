package engine

import (
	"sort"
	"strconv"
	"strings"

	"github.com/ksqlgo/ksqlgo/sql/expr"
	"github.com/ksqlgo/ksqlgo/sql/parser"
	"github.com/ksqlgo/ksqlgo/sql/types"
)

// The SELECT over a join (pass 3 of analyzeJoin): the joined row as a virtual source, the
// query's column references rewritten to its column names, and the result's key columns
// in the projection.

// virtualSource is the joined row as a source: the synthetic key column, if any, then
// every source's columns and pseudo columns, named <SOURCE>_<COLUMN>.
func (j *joinInfo) virtualSource(table bool) *Source {
	first := j.sources[0].src
	v := &Source{Name: j.sources[0].name, Table: table, KeyFormat: first.KeyFormat, ValueFormat: first.ValueFormat,
		WrapSingle: first.WrapSingle, Delimiter: first.Delimiter, KeyDelimiter: first.KeyDelimiter,
		Partitions: first.Partitions, PartitionsKnown: first.PartitionsKnown, Window: first.Window, Topic: first.Topic}
	switch {
	case len(j.fkKeys) > 0:
		// A foreign-key join's key is the left table's: hidden copies of its key columns.
		for i, c := range j.sources[0].src.KeyColumns() {
			name := hiddenJoinKey + strconv.Itoa(i)
			j.keyCols = append(j.keyCols, name)
			v.Columns = append(v.Columns, Column{Column: types.Column{Name: name, Type: c.Type}, Kind: KeyCol})
		}
	default:
		// The join key: the synthetic key column, or hidden (the projection's key column
		// reads it, so that a key column from a side that found no match is still the
		// key). Typed once the criteria are (analyzeJoin); nothing reads it before.
		name := j.synthetic
		if name == "" {
			name = hiddenJoinKey
		}
		j.keyCols = []string{name}
		v.Columns = append(v.Columns, Column{Column: types.Column{Name: name, Type: types.STRING}, Kind: KeyCol})
	}
	for _, s := range j.sources {
		for _, c := range s.src.Columns {
			v.Columns = append(v.Columns, Column{Column: types.Column{Name: joinedName(s.name, c.Name), Type: c.Type}, Kind: ValueCol})
		}
		for _, c := range pseudoColumns(s.src) {
			v.Columns = append(v.Columns, Column{Column: types.Column{Name: joinedName(s.name, c.Name), Type: c.Type}, Kind: ValueCol})
		}
	}
	return v
}

// flatten rewrites qualified column references S.C to the joined row's S_C.
func flatten(e parser.Expr) parser.Expr {
	return expr.Rewrite(e, func(n parser.Expr) (parser.Expr, bool) {
		if ref, ok := n.(*parser.ColumnRef); ok && ref.Source != nil {
			return &parser.ColumnRef{Pos: ref.Pos, Name: parser.Ident{Name: joinedName(ref.Source.Name, ref.Name.Name), Quoted: true, Pos: ref.Name.Pos}}, true
		}
		return nil, false
	})
}

// rewriteExpr rewrites e over the joined row: a source's column, qualified or not,
// becomes S_C; the result's own pseudo columns, window bounds of windowed sources, the
// synthetic key and lambda parameters stay as they are. clause words the errors.
func (j *joinInfo) rewriteExpr(e parser.Expr, clause string) (parser.Expr, error) {
	err := j.checkQualifiers(e)
	var rw func(e parser.Expr, params map[string]bool) parser.Expr
	rw = func(e parser.Expr, params map[string]bool) parser.Expr {
		return expr.Rewrite(e, func(n parser.Expr) (parser.Expr, bool) {
			if err != nil {
				return n, true
			}
			switch x := n.(type) {
			case *parser.Lambda:
				inner := map[string]bool{}
				for k := range params {
					inner[k] = true
				}
				for _, p := range x.Params {
					inner[p.Name] = true
				}
				c := *x
				c.Body = rw(x.Body, inner)
				return &c, true
			case *parser.ColumnRef:
				name := x.Name.Name
				if x.Source == nil {
					if params[name] || name == j.synthetic {
						return n, true
					}
				}
				i, amb := j.resolve(x)
				if amb != nil {
					err = ambiguousErr(x, amb, false)
					return n, true
				}
				if i < 0 && x.Source == nil {
					switch name {
					case colRowtime, colRowPartition, colRowOffset:
						return n, true
					case colWindowStart, colWindowEnd:
						if j.virtual.Window != nil {
							return n, true
						}
					}
				}
				if i < 0 {
					err = stmtErrAt(x.Pos, "%s column '%s' cannot be resolved.", clause, expr.RefText(x))
					return n, true
				}
				return &parser.ColumnRef{Pos: x.Pos, Name: parser.Ident{Name: joinedName(j.sources[i].name, name), Quoted: true, Pos: x.Name.Pos}}, true
			}
			return nil, false
		})
	}
	out := rw(e, nil)
	return out, err
}

// rewriteSelect returns sel over the joined row: stars expanded, column references
// rewritten (rewriteExpr), and a column keeping its name as the default alias when no
// other source has a column of that name (else it is named S_C, as in ksqlDB).
func (j *joinInfo) rewriteSelect(sel *parser.Select) (*parser.Select, error) {
	out := *sel
	out.From = &parser.Relation{Pos: sel.From.Pos, Source: &parser.Ident{Name: j.virtual.Name, Quoted: true, Pos: sel.From.Pos}}
	out.Items = nil
	ref := func(pos parser.Pos, name string) *parser.ColumnRef {
		return &parser.ColumnRef{Pos: pos, Name: parser.Ident{Name: name, Quoted: true, Pos: pos}}
	}
	addSource := func(pos parser.Pos, s *joinSource) {
		for _, c := range s.src.Columns {
			out.Items = append(out.Items, parser.SelectItem{Pos: pos, Expr: ref(pos, joinedName(s.name, c.Name))})
		}
	}
	for _, it := range sel.Items {
		switch {
		case it.Star && it.Expr == nil && it.Source == nil:
			if j.synthetic != "" {
				out.Items = append(out.Items, parser.SelectItem{Pos: it.Pos, Expr: ref(it.Pos, j.synthetic)})
			}
			for _, s := range j.sources {
				addSource(it.Pos, s)
			}
		case it.Star && it.Expr == nil:
			i := j.source(it.Source.Name)
			if i < 0 {
				return nil, stmtErrAt(it.Source.Pos, "'%s' is not a valid stream/table name or alias.", it.Source.Name)
			}
			addSource(it.Pos, j.sources[i])
		default:
			x, err := j.rewriteExpr(it.Expr, "SELECT")
			if err != nil {
				return nil, err
			}
			n := it
			n.Expr = x
			if orig, ok := it.Expr.(*parser.ColumnRef); ok && it.Alias == nil && !it.Star && j.unique(orig.Name.Name) {
				if r, ok := x.(*parser.ColumnRef); ok && r.Name.Name != orig.Name.Name {
					n.Alias = &parser.Ident{Name: orig.Name.Name, Quoted: true, Pos: orig.Pos}
				}
			}
			out.Items = append(out.Items, n)
		}
	}
	var err error
	one := func(e parser.Expr, clause string) parser.Expr {
		if e == nil || err != nil {
			return e
		}
		var x parser.Expr
		x, err = j.rewriteExpr(e, clause)
		return x
	}
	list := func(es []parser.Expr, clause string) []parser.Expr {
		if es == nil {
			return nil
		}
		outs := make([]parser.Expr, len(es))
		for i, e := range es {
			outs[i] = one(e, clause)
		}
		return outs
	}
	out.Where = one(sel.Where, "WHERE")
	out.GroupBy = list(sel.GroupBy, "GROUP BY")
	out.PartitionBy = list(sel.PartitionBy, "PARTITION BY")
	out.Having = one(sel.Having, "HAVING")
	if err != nil {
		return nil, err
	}
	return &out, nil
}

// projectedKeys returns the select items that are the key of a join's result: one of
// the criterion columns (the first projected), the synthetic key, or every key column
// of the left table of a foreign-key join.
func (j *joinInfo) projectedKeys(items []selectItem, sinkName string) ([]int, error) {
	refs := func(col string) []int {
		var out []int
		for i, it := range items {
			if r, ok := it.expr.(*parser.ColumnRef); ok && r.Source == nil && r.Name.Name == col {
				out = append(out, i)
			}
		}
		return out
	}
	once := func(col string, found []int) error {
		if len(found) < 2 {
			return nil
		}
		names := []string{items[found[0]].name, items[found[1]].name}
		sort.Strings(names)
		return stmtErr("The projection contains a key column (`%s`) more than once, aliased as: %s and %s.", col, names[0], names[1])
	}
	const missing = "Key missing from projection (ie, SELECT). See https://cnfl.io/2LV7ouS.\n"
	switch {
	case len(j.fkKeys) > 0:
		var keyItems []int
		var lost []string
		for _, k := range j.fkKeys {
			found := refs(k.col)
			if err := once(k.col, found); err != nil {
				return nil, err
			}
			if len(found) == 0 {
				lost = append(lost, "`"+strings.TrimPrefix(k.col, j.fkName+"_")+"`")
				continue
			}
			keyItems = append(keyItems, found[0])
		}
		if len(lost) > 0 {
			return nil, stmtErr("Primary key %s missing in projection. For foreign-key table-table joins, the projection must include all primary key columns from the left input table (`%s`). Missing %s: %s.",
				plural(len(lost), "column", "columns"), j.fkName, plural(len(lost), "column", "columns"), strings.Join(lost, ", "))
		}
		return keyItems, nil
	case j.synthetic != "":
		found := refs(j.synthetic)
		if err := once(j.synthetic, found); err != nil {
			return nil, err
		}
		if len(found) == 0 {
			return nil, stmtErr("%sThe query used to build `%s` must include the join expression %s in its projection (eg, SELECT %s...).\n%s was added as a synthetic key column because the join criteria did not match any source column. This expression must be included in the projection and may be aliased.",
				missing, sinkName, j.synthetic, j.synthetic, j.synthetic)
		}
		return found[:1], nil
	}
	first := -1 // the first candidate projected is the key
	for _, k := range j.keys {
		found := refs(k.col)
		if err := once(k.col, found); err != nil {
			return nil, err
		}
		if len(found) > 0 && first < 0 {
			first = found[0]
		}
	}
	if first < 0 {
		texts := make([]string, len(j.keys))
		for i, k := range j.keys {
			texts[i] = k.text
		}
		return nil, stmtErr("%sThe query used to build `%s` must include the join %s %s in its projection (eg, SELECT %s...).",
			missing, sinkName, plural(len(texts), "expression", "expressions"), orList(texts), texts[0])
	}
	return []int{first}, nil
}
