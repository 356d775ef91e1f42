package engine

import (
	"sort"
	"strconv"
	"strings"

	"github.com/ksqlgo/ksqlgo/sql/expr"
	"github.com/ksqlgo/ksqlgo/sql/parser"
	"github.com/ksqlgo/ksqlgo/sql/types"
)

// The logical checks of a join (pass 2 of analyzeJoin): join order and type, WITHIN,
// windowed sources, keys and repartitions, key types, co-partitioning, and the result's key.

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
