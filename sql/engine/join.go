package engine

import (
	"sort"
	"strconv"
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

// qualify returns e (a join criterion) with every column reference qualified by its
// source, and the set of sources it reads. clause words the error for an unknown column.
func (j *joinInfo) qualify(e parser.Expr, clause string) (parser.Expr, map[int]bool, error) {
	err := j.checkQualifiers(e)
	used := map[int]bool{}
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
			err = stmtErrAt(ref.Pos, "%s column '%s' cannot be resolved.", clause, expr.RefText(ref))
			return n, true
		}
		used[i] = true
		src := parser.Ident{Name: j.sources[i].name, Quoted: true, Pos: ref.Pos}
		return &parser.ColumnRef{Pos: ref.Pos, Source: &src, Name: ref.Name}, true
	})
	return out, used, err
}

// criterion analyses the ON clause of the join of sources[right] (pass 1).
func (j *joinInfo) criterion(right int, jn *parser.Join) (*joinStep, error) {
	st := &joinStep{kind: jn.Kind, pos: jn.Pos, within: jn.Within}
	if err := j.checkQualifiers(jn.On); err != nil {
		e := err.(*Error)
		e.Msg = "Failed to prepare statement: " + e.Msg
		return nil, e
	}
	on, _, err := j.qualify(jn.On, "JOIN ON")
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
		_, used, _ := j.qualify(sides[k].expr, "JOIN ON")
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

// joinTypeText words a join as ksqlDB's errors do: "A [INNER] JOIN B".
func (j *joinInfo) joinTypeText(st *joinStep) string {
	kind := map[parser.JoinKind]string{parser.JoinInner: "[INNER] JOIN", parser.JoinLeft: "LEFT [OUTER] JOIN",
		parser.JoinRight: "RIGHT [OUTER] JOIN", parser.JoinFull: "[FULL] OUTER JOIN"}[st.kind]
	return j.sources[0].name + " " + kind + " " + j.sources[st.right.src].name
}

// keyColumn returns the name of source i's only key column, or "" when it has none or
// several.
func (j *joinInfo) keyColumn(i int) string {
	keys := j.sources[i].src.KeyColumns()
	if len(keys) != 1 {
		return ""
	}
	return keys[0].Name
}

// isKeyRef says whether side is exactly its source's only key column.
func (j *joinInfo) isKeyRef(side joinSide) bool {
	ref, ok := side.expr.(*parser.ColumnRef)
	k := j.keyColumn(side.src)
	return ok && k != "" && ref.Name.Name == k
}

// checkStep makes the logical checks of one join that need no types (pass 2).
func (j *joinInfo) checkStep(st *joinStep) error {
	right := j.sources[st.right.src]
	rightTable := right.src.Table
	crit := expr.Format(st.left.expr) + " = " + expr.Format(st.right.expr)
	switch {
	case st.leftTable && !rightTable:
		return stmtErrAt(st.pos, "Invalid join order: table-stream joins are not supported; only stream-table joins. Got %s.", j.joinTypeText(st))
	case !st.leftTable && rightTable && st.kind == parser.JoinFull:
		return stmtErrAt(st.pos, "Invalid join type: full-outer join not supported for stream-table join. Got %s.", j.joinTypeText(st))
	case !st.leftTable && rightTable && st.kind == parser.JoinRight:
		return stmtErrAt(st.pos, "Invalid join type: right-outer join not supported for stream-table join. Got %s.", j.joinTypeText(st))
	}
	switch {
	case st.within != nil && !rightTable:
		for _, d := range []*parser.Duration{&st.within.Before, &st.within.After, st.within.Grace} {
			if d == nil {
				continue
			}
			if _, err := durationMillis(*d); err != nil {
				return err
			}
		}
	case !st.leftTable && !rightTable && st.within == nil:
		return stmtErrAt(st.pos, "Stream-Stream joins must have a WITHIN clause specified. None was provided. To learn about how to specify a WITHIN clause with a stream-stream join, please visit: https://docs.confluent.io/current/ksql/docs/syntax-reference.html#create-stream-as-select")
	case st.within != nil && rightTable:
		kind := "Stream-Table"
		if st.leftTable {
			kind = "Table-Table"
		}
		return stmtErrAt(st.within.Pos, "A window definition was provided for a %s join. These joins are not windowed. Please drop the window definition (ie. the WITHIN clause) and try to resubmit your query.", kind)
	}
	lw, rw := j.sources[0].src.Window, right.src.Window
	switch {
	case (lw == nil) != (rw == nil):
		desc := func(s *joinSource) string {
			if s.src.Window == nil {
				return "`" + s.name + "` is not windowed"
			}
			return "`" + s.name + "` is " + s.src.Window.Type + " windowed"
		}
		return stmtErrAt(st.pos, "Can not join windowed source to non-windowed source.\n%s\n%s", desc(j.sources[0]), desc(right))
	case lw != nil && (lw.Type == "SESSION") != (rw.Type == "SESSION"):
		return stmtErrAt(st.pos, "Incompatible windowed sources.\nLeft source: %s\nRight source: %s\n"+
			"Session windowed sources can only be joined to other session windowed sources, and may still not result in expected behaviour as session bounds must be an exact match for the join to work\n"+
			"Hopping and tumbling windowed sources can only be joined to other hopping and tumbling windowed sources, and may still not result in expected behaviour as window bounds must be an exact match for the join to work", lw.Type, rw.Type)
	case lw != nil && *lw != *rw:
		return stmtErrAt(st.pos, "Implicit repartitioning of windowed sources is not supported. See https://github.com/confluentinc/ksql/issues/4385.")
	}
	if rightTable && !j.isKeyRef(st.right) {
		if st.leftTable {
			return stmtErrAt(st.pos, "Invalid join condition: table-table joins require to join on the primary key of the right input table. Got %s.", crit)
		}
		return stmtErrAt(st.pos, "Invalid join condition: stream-table joins require to join on the table's primary key. Got %s.", crit)
	}
	if st.leftTable && !j.isKeyRef(st.left) {
		if len(j.sources) > 2 || st.left.src != 0 {
			return stmtErrAt(st.pos, "Invalid join condition: foreign-key table-table joins are only supported between two tables. Got %s.", crit)
		}
		st.fk = true
		if st.kind == parser.JoinRight || st.kind == parser.JoinFull {
			return stmtErrAt(st.pos, "%s OUTER JOIN on a foreign key is not supported", st.kind)
		}
	}
	return nil
}

// chooseKeys decides the key of each join's result: which sides are repartitioned, and
// whether the final result has a synthetic key, foreign-key key columns or one of the
// criterion columns (pass 2).
func (j *joinInfo) chooseKeys() {
	var keys []joinKey // the key candidates of the result so far
	var equiv []string // every expression the result so far is keyed by (S.C, ABS(S.C))
	synthetic := false
	for i, st := range j.steps {
		if st.fk {
			for _, k := range j.sources[0].src.KeyColumns() {
				j.fkKeys = append(j.fkKeys, joinKey{text: j.sources[0].name + "." + k.Name, col: joinedName(j.sources[0].name, k.Name)})
			}
			j.fkName = j.sources[0].name
			return
		}
		st.right.repartition = !j.isKeyRef(st.right)
		leftText := expr.Format(st.left.expr)
		if i == 0 {
			st.left.repartition = !j.isKeyRef(st.left)
		} else {
			st.left.repartition = true
			for _, k := range equiv {
				if !synthetic && k == leftText {
					st.left.repartition = false
				}
			}
		}
		if st.left.repartition || i == 0 {
			equiv = nil
		}
		equiv = append(equiv, leftText, expr.Format(st.right.expr))
		var next []joinKey
		if !st.left.repartition && i > 0 {
			next = keys
		}
		for _, side := range []joinSide{st.left, st.right} {
			if ref, ok := side.expr.(*parser.ColumnRef); ok {
				k := joinKey{text: expr.Format(ref), col: joinedName(ref.Source.Name, ref.Name.Name)}
				dup := false
				for _, n := range next {
					dup = dup || n.text == k.text
				}
				if !dup {
					next = append(next, k)
				}
			}
		}
		keys = next
		synthetic = st.kind == parser.JoinFull || len(keys) == 0
	}
	if synthetic {
		used := map[string]bool{}
		for _, s := range j.sources {
			for _, c := range s.src.Columns {
				used[c.Name] = true
			}
		}
		j.synthetic = "ROWKEY"
		for n := 1; used[j.synthetic]; n++ {
			j.synthetic = "ROWKEY_" + strconv.Itoa(n)
		}
		return
	}
	// ksqlDB lists the candidates in FROM order.
	order := map[string]int{}
	for i, s := range j.sources {
		order[s.name] = i
	}
	sort.SliceStable(keys, func(a, b int) bool {
		return order[strings.SplitN(keys[a].text, ".", 2)[0]] < order[strings.SplitN(keys[b].text, ".", 2)[0]]
	})
	j.keys = keys
}

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

// checkKeys types the criterion of a join and checks its keys: equal types, and no
// repartition of a windowed source or by a type that holds a map.
func (j *joinInfo) checkKeys(c *expr.Compiler, l *inputLayout, st *joinStep) error {
	for _, side := range []*joinSide{&st.left, &st.right} {
		ce, err := c.Compile(flatten(side.expr), l.scope)
		if err != nil {
			return err
		}
		side.typ = ce.Type
	}
	if !st.left.typ.Equal(st.right.typ) {
		return stmtErrAt(st.pos, "Invalid join condition: types don't match. Got %s{%s} = %s{%s}.",
			expr.Format(st.left.expr), st.left.typ, expr.Format(st.right.expr), st.right.typ)
	}
	for _, side := range []joinSide{st.left, st.right} {
		if !side.repartition {
			continue
		}
		if j.sources[side.src].src.Window != nil {
			return stmtErrAt(st.pos, "Implicit repartitioning of windowed sources is not supported. See https://github.com/confluentinc/ksql/issues/4385.")
		}
		if types.ContainsMap(side.typ) {
			name := "KSQL_COL_0"
			if ref, ok := side.expr.(*parser.ColumnRef); ok {
				name = joinedName(ref.Source.Name, ref.Name.Name)
			}
			return stmtErrAt(st.pos, "Map keys, including types that contain maps, are not supported as they may lead to unexpected behavior due to inconsistent serialization. Key column name: `%s`. Column type: %s. See https://github.com/confluentinc/ksql/issues/6621 for more.", name, side.typ)
		}
	}
	if !st.fk {
		left, right := j.sources[0], j.sources[st.right.src]
		if lp, rp := left.src.Partitions, right.src.Partitions; left.src.PartitionsKnown && right.src.PartitionsKnown && lp != rp {
			return stmtErrAt(st.pos, "Can't join `%s` with `%s` since the number of partitions don't match. `%s` partitions = %d; `%s` partitions = %d. Please repartition either one so that the number of partitions match.",
				left.name, right.name, left.name, lp, right.name, rp)
		}
	}
	return nil
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
