package engine

import (
	"strings"

	"github.com/ksqlgo/ksqlgo/sql/expr"
	"github.com/ksqlgo/ksqlgo/sql/parser"
	"github.com/ksqlgo/ksqlgo/sql/types"
)

// A join query is analysed as ksqlDB analyses it, in three passes:
//
//  1. The FROM clause: its sources (each named by its alias, or its own name) and the ON
//     criterion of each join, with every column reference qualified by its source.
//  2. The logical checks of each join in FROM order: join order and type, WITHIN, windowed
//     sources, which side is joined on its key and which must be repartitioned, the key
//     types, co-partitioning, and the key columns of the result.
//  3. The SELECT over the joined row: a virtual source whose columns are every source's
//     columns named <SOURCE>_<COLUMN> (and <SOURCE>_ROWTIME, ...), preceded by a synthetic
//     key column when the result has one; the query's column references are rewritten to
//     these names and the query is planned as a single-source query over them.
//
// The joined row is the left row followed by the right row: its layout is the virtual
// source's columns, so the join operators only concatenate the rows of their inputs.

// joinSource is one source of a join.
type joinSource struct {
	src  *Source
	name string // the alias, or the source's name: what qualifies its columns
	pos  parser.Pos
}

// joinSide is one side of a join criterion: an expression over a single source.
type joinSide struct {
	expr parser.Expr // qualified (S.C)
	src  int         // index of the source it reads
	typ  *types.Type
	// repartition: the side's rows must be re-keyed by expr before the join.
	repartition bool
}

// joinStep is one JOIN of the FROM clause: the result so far joined to sources[right].
type joinStep struct {
	kind        parser.JoinKind
	pos         parser.Pos
	within      *parser.JoinWindow
	on          parser.Expr // qualified
	left, right joinSide
	fk          bool // a table-table join on a foreign key of the left table
	leftTable   bool // the result so far is a table
}

// joinKey is a column that may be the result's key: a join criterion that is a column.
type joinKey struct {
	text string // as ksqlDB prints it: S.C
	col  string // in the joined row: S_C
}

// joinInfo is the analysis of a FROM clause with joins.
type joinInfo struct {
	pos     parser.Pos
	sources []*joinSource
	steps   []*joinStep
	// synthetic names the result's synthetic key column (ksqlDB's ROWKEY) when no join
	// criterion column can be the key (a FULL OUTER join, or expressions on both sides).
	synthetic string
	// keys are the columns one of which the projection must include as the key (not
	// synthetic, not a foreign-key join).
	keys []joinKey
	// fkKeys are the left table's key columns (joined names) of a foreign-key join, all
	// of which the projection must include.
	fkKeys  []joinKey
	fkName  string
	virtual *Source
	// keyCols name the virtual source's key columns, the result's key: the join key
	// (synthetic, or hiddenJoinKey), or a foreign-key join's hidden copies of the left
	// table's key columns. The projection's key columns read them, in order.
	keyCols []string
}

// hiddenJoinKey names the join key in the joined row when the result's key column is a
// criterion column. No SQL identifier can name it.
const hiddenJoinKey = "$JOINKEY"

// joinedName is a source column's name in the joined row.
func joinedName(source, col string) string { return source + "_" + col }

// flattenJoin returns the sources and join steps of a (left-deep) FROM clause.
func flattenJoin(r *parser.Relation) ([]*parser.Relation, []*parser.Join) {
	if r.Join == nil {
		return []*parser.Relation{r}, nil
	}
	rels, joins := flattenJoin(r.Join.Left)
	rels, joins = append(rels, r.Join.Right), append(joins, r.Join)
	return rels, joins
}

// analyzeJoin analyses the joins of sel (passes 1 and 2) and returns the analysis and sel
// rewritten over the joined row (pass 3's input).
func (e *Engine) analyzeJoin(sel *parser.Select) (*joinInfo, *parser.Select, error) {
	rels, joins := flattenJoin(sel.From)
	j := &joinInfo{pos: sel.From.Join.Pos}
	seen := map[string]bool{}
	for _, r := range rels {
		src := e.Catalog.Source(r.Source.Name)
		if src == nil {
			return nil, nil, stmtErrAt(r.Source.Pos, "%s does not exist.", r.Source.Name)
		}
		if seen[src.Name] {
			if len(rels) == 2 {
				return nil, nil, stmtErrAt(r.Source.Pos, "Can not join '%s' to '%s': self joins are not yet supported.", src.Name, src.Name)
			}
			return nil, nil, stmtErrAt(r.Source.Pos, "N-way joins do not support multiple occurrences of the same source. Source: '%s'", src.Name)
		}
		seen[src.Name] = true
		name := src.Name
		if r.Alias != nil {
			name = r.Alias.Name
		}
		j.sources = append(j.sources, &joinSource{src: src, name: name, pos: r.Source.Pos})
	}
	// Pass 1: the criteria.
	for i, jn := range joins {
		st, err := j.criterion(i+1, jn)
		if err != nil {
			return nil, nil, err
		}
		j.steps = append(j.steps, st)
	}
	// Pass 2: the logical checks.
	var kafka []string
	for _, s := range j.sources {
		if s.src.ValueFormat == "KAFKA" {
			kafka = append(kafka, s.src.Name)
		}
	}
	if len(kafka) > 0 {
		return nil, nil, stmtErr("Source(s) %s are using the 'KAFKA' value format. This format does not yet support JOIN.", strings.Join(kafka, ", "))
	}
	table := j.sources[0].src.Table
	for _, st := range j.steps {
		st.leftTable = table
		if err := j.checkStep(st); err != nil {
			return nil, nil, err
		}
		table = table && j.sources[st.right.src].src.Table
	}
	j.chooseKeys()
	j.virtual = j.virtualSource(table)
	l := newInputLayout(j.virtual, "")
	c := e.compiler()
	for _, st := range j.steps {
		if err := j.checkKeys(c, l, st); err != nil {
			return nil, nil, err
		}
	}
	if len(j.fkKeys) == 0 {
		j.virtual.Columns[0].Type = j.steps[len(j.steps)-1].left.typ
	}
	out, err := j.rewriteSelect(sel)
	if err != nil {
		return nil, nil, err
	}
	return j, out, nil
}

// source returns the index of the source a qualifier names, or -1.
func (j *joinInfo) source(name string) int {
	for i, s := range j.sources {
		if s.name == name {
			return i
		}
	}
	return -1
}

// pseudoColumns returns the pseudo columns of a source: ROWTIME, ROWPARTITION,
// ROWOFFSET and, for a windowed source, WINDOWSTART and WINDOWEND.
func pseudoColumns(src *Source) []types.Column {
	out := []types.Column{{Name: colRowtime, Type: types.BIGINT}, {Name: colRowPartition, Type: types.INT}, {Name: colRowOffset, Type: types.BIGINT}}
	if src.Window != nil {
		out = append(out, types.Column{Name: colWindowStart, Type: types.BIGINT}, types.Column{Name: colWindowEnd, Type: types.BIGINT})
	}
	return out
}

// hasColumn says whether source i has column name (pseudo columns included when pseudo).
func (j *joinInfo) hasColumn(i int, name string, pseudo bool) bool {
	if j.sources[i].src.Column(name) != nil {
		return true
	}
	if pseudo {
		for _, c := range pseudoColumns(j.sources[i].src) {
			if c.Name == name {
				return true
			}
		}
	}
	return false
}

// resolve finds the source of a column reference: its index, or -1 when no source has
// the column (or, for an unqualified name, when it is not a source's column at all) or
// when an unqualified name is ambiguous (ambiguous then lists the candidates, S.C).
// Qualifiers are checked before (checkQualifiers).
func (j *joinInfo) resolve(ref *parser.ColumnRef) (i int, ambiguous []string) {
	if ref.Source != nil {
		i := j.source(ref.Source.Name)
		if i < 0 || !j.hasColumn(i, ref.Name.Name, true) {
			return -1, nil
		}
		return i, nil
	}
	var found []int
	for i := range j.sources {
		if j.hasColumn(i, ref.Name.Name, false) {
			found = append(found, i)
		}
	}
	switch len(found) {
	case 0:
		return -1, nil
	case 1:
		return found[0], nil
	}
	for _, i := range found {
		ambiguous = append(ambiguous, j.sources[i].name+"."+ref.Name.Name)
	}
	return -1, ambiguous
}

// ambiguousErr reports an ambiguous column as ksqlDB does: in the ON clause the position
// is part of the message, after "Exception while preparing statement: ".
func ambiguousErr(ref *parser.ColumnRef, names []string, on bool) error {
	msg := "Column '" + ref.Name.Name + "' is ambiguous. Could be " + orList(names) + "."
	if on {
		return stmtErr("Exception while preparing statement: Line: %d, Col: %d: %s", ref.Pos.Line, ref.Pos.Col, msg)
	}
	return stmtErrAt(ref.Pos, "%s", msg)
}

// checkQualifiers reports the first qualifier in e that names no source: ksqlDB checks
// them before it resolves columns.
func (j *joinInfo) checkQualifiers(e parser.Expr) error {
	var err error
	expr.Walk(e, func(n parser.Expr) bool {
		if ref, ok := n.(*parser.ColumnRef); ok && ref.Source != nil && j.source(ref.Source.Name) < 0 {
			err = stmtErrAt(ref.Source.Pos, "'%s' is not a valid stream/table name or alias.", ref.Source.Name)
		}
		return err == nil
	})
	return err
}

// unique says whether exactly one source has a column named name.
func (j *joinInfo) unique(name string) bool {
	n := 0
	for i := range j.sources {
		if j.hasColumn(i, name, false) {
			n++
		}
	}
	return n == 1
}

// orList joins names as "A", "A or B", "A, B or C".
func orList(names []string) string {
	if len(names) < 2 {
		return strings.Join(names, "")
	}
	return strings.Join(names[:len(names)-1], ", ") + " or " + names[len(names)-1]
}

// qualify returns a join criterion with every column reference qualified by its source.
func (j *joinInfo) qualify(e parser.Expr) (parser.Expr, error) {
	err := j.checkQualifiers(e)
	out := expr.Rewrite(e, func(n parser.Expr) (parser.Expr, bool) {
		ref, ok := n.(*parser.ColumnRef)
		if !ok || err != nil {
			return nil, err != nil
		}
		i, amb := j.resolve(ref)
		if amb != nil {
			err = ambiguousErr(ref, amb, true)
			return n, true
		}
		if i < 0 {
			err = stmtErrAt(ref.Pos, "JOIN ON column '%s' cannot be resolved.", expr.RefText(ref))
			return n, true
		}
		src := parser.Ident{Name: j.sources[i].name, Quoted: true, Pos: ref.Pos}
		return &parser.ColumnRef{Pos: ref.Pos, Source: &src, Name: ref.Name}, true
	})
	return out, err
}

// sourcesOf returns the sources a qualified expression reads.
func (j *joinInfo) sourcesOf(e parser.Expr) map[int]bool {
	used := map[int]bool{}
	expr.Walk(e, func(n parser.Expr) bool {
		if ref, ok := n.(*parser.ColumnRef); ok && ref.Source != nil {
			used[j.source(ref.Source.Name)] = true
		}
		return true
	})
	return used
}

// criterion analyses the ON clause of the join of sources[right] (pass 1).
func (j *joinInfo) criterion(right int, jn *parser.Join) (*joinStep, error) {
	st := &joinStep{kind: jn.Kind, pos: jn.Pos, within: jn.Within}
	if err := j.checkQualifiers(jn.On); err != nil {
		e := err.(*Error)
		e.Msg = "Failed to prepare statement: " + e.Msg
		return nil, e
	}
	on, err := j.qualify(jn.On)
	if err != nil {
		return nil, err
	}
	st.on = on
	b, ok := on.(*parser.Binary)
	if ok && b.Op == parser.OpAnd {
		return nil, stmtErrAt(jn.On.Position(), "Invalid join condition: joins on multiple conditions are not yet supported. Got %s.", expr.Format(on))
	}
	if !ok || b.Op != parser.OpEq {
		return nil, stmtErrAt(jn.On.Position(), "Unsupported join expression: %s. Joins support only an equality of two expressions, one on each source.", expr.Format(on))
	}
	sides := [2]joinSide{{expr: b.L}, {expr: b.R}}
	for k := range sides {
		used := j.sourcesOf(sides[k].expr)
		if len(used) != 1 {
			return nil, stmtErrAt(jn.On.Position(), "Invalid comparison expression '%s' in join '%s'. Each side of the join comparision must contain references from exactly one source.", expr.Format(sides[k].expr), expr.Format(on))
		}
		for i := range used {
			sides[k].src = i
		}
	}
	if sides[0].src == sides[1].src {
		n := j.sources[sides[0].src].name
		return nil, stmtErrAt(jn.On.Position(), "Each side of the join must reference exactly one source and not the same source. Left side references `%s` and right references `%s`", n, n)
	}
	if sides[0].src == right {
		sides[0], sides[1] = sides[1], sides[0]
	}
	if sides[1].src != right || sides[0].src > right {
		return nil, stmtErrAt(jn.On.Position(), "A join criteria is expected to reference the source (`%s`) in the FROM clause, instead the right source references `%s` and the left source references `%s`",
			j.sources[right].name, j.sources[sides[1].src].name, j.sources[sides[0].src].name)
	}
	st.left, st.right = sides[0], sides[1]
	return st, nil
}
