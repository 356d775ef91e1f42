package parser

import (
	"errors"
	"fmt"
	"strings"
	"testing"
)

// fmtSelect renders a Select compactly for golden tests.
func fmtSelect(s *Select) string {
	var b strings.Builder
	b.WriteString("SELECT ")
	for i, it := range s.Items {
		if i > 0 {
			b.WriteString(", ")
		}
		switch {
		case it.Star && it.Source != nil:
			b.WriteString(fmtIdent(*it.Source) + ".*")
		case it.Star:
			b.WriteString("*")
		default:
			b.WriteString(fmtExpr(it.Expr))
		}
		if it.Alias != nil {
			b.WriteString(" AS " + fmtIdent(*it.Alias))
		}
	}
	b.WriteString(" FROM " + fmtRel(s.From))
	if w := s.Window; w != nil {
		fmt.Fprintf(&b, " WINDOW %s(%s", w.Kind, fmtDur(w.Size))
		for _, o := range []struct {
			n string
			d *Duration
		}{{"ADVANCE BY", w.Advance}, {"RETENTION", w.Retention}, {"GRACE PERIOD", w.Grace}} {
			if o.d != nil {
				fmt.Fprintf(&b, ", %s %s", o.n, fmtDur(*o.d))
			}
		}
		b.WriteString(")")
	}
	if s.Where != nil {
		b.WriteString(" WHERE " + fmtExpr(s.Where))
	}
	if s.GroupBy != nil {
		b.WriteString(" GROUP BY " + fmtExprs(s.GroupBy))
	}
	if s.PartitionBy != nil {
		b.WriteString(" PARTITION BY " + fmtExprs(s.PartitionBy))
	}
	if s.Having != nil {
		b.WriteString(" HAVING " + fmtExpr(s.Having))
	}
	if s.Emit != EmitNone {
		b.WriteString(" EMIT " + s.Emit.String())
	}
	if s.Limit != nil {
		b.WriteString(" LIMIT " + s.Limit.Text)
	}
	return b.String()
}

func fmtDur(d Duration) string { return fmt.Sprintf("%d %s", d.Count, d.Unit) }

func fmtIdent(id Ident) string {
	if id.Quoted {
		return "`" + id.Name + "`"
	}
	return id.Name
}

func fmtRel(r *Relation) string {
	if r.Join == nil {
		s := fmtIdent(*r.Source)
		if r.Alias != nil {
			s += " " + fmtIdent(*r.Alias)
		}
		return s
	}
	j := r.Join
	s := "(" + fmtRel(j.Left) + " " + j.Kind.String() + " JOIN " + fmtRel(j.Right)
	if w := j.Within; w != nil {
		s += " WITHIN (" + fmtDur(w.Before) + ", " + fmtDur(w.After) + ")"
		if w.Grace != nil {
			s += " GRACE PERIOD " + fmtDur(*w.Grace)
		}
	}
	return s + " ON " + fmtExpr(j.On) + ")"
}

func fmtExprs(es []Expr) string {
	parts := make([]string, len(es))
	for i, e := range es {
		parts[i] = fmtExpr(e)
	}
	return strings.Join(parts, ", ")
}

func fmtExpr(e Expr) string {
	switch e := e.(type) {
	case *ColumnRef:
		if e.Source != nil {
			return fmtIdent(*e.Source) + "." + fmtIdent(e.Name)
		}
		return fmtIdent(e.Name)
	case *Literal:
		if e.Kind == LitString {
			return fmt.Sprintf("%q", e.Text)
		}
		return e.Kind.String() + ":" + e.Text
	case *Unary:
		return "(" + e.Op.String() + " " + fmtExpr(e.X) + ")"
	case *Binary:
		return "(" + fmtExpr(e.L) + " " + e.Op.String() + " " + fmtExpr(e.R) + ")"
	case *IsNull:
		return "(" + fmtExpr(e.X) + map[bool]string{false: " IS NULL)", true: " IS NOT NULL)"}[e.Not]
	case *IsDistinct:
		return "(" + fmtExpr(e.L) + map[bool]string{false: " IS DISTINCT FROM ", true: " IS NOT DISTINCT FROM "}[e.Not] + fmtExpr(e.R) + ")"
	case *Between:
		return "(" + fmtExpr(e.X) + map[bool]string{true: " NOT"}[e.Not] + " BETWEEN " + fmtExpr(e.Lo) + " AND " + fmtExpr(e.Hi) + ")"
	case *Like:
		s := "(" + fmtExpr(e.X) + map[bool]string{true: " NOT"}[e.Not] + " LIKE " + fmtExpr(e.Pattern)
		if e.Escape != 0 {
			s += fmt.Sprintf(" ESCAPE %q", e.Escape)
		}
		return s + ")"
	case *In:
		return "(" + fmtExpr(e.X) + map[bool]string{true: " NOT"}[e.Not] + " IN (" + fmtExprs(e.List) + "))"
	case *Case:
		s := "CASE"
		if e.Operand != nil {
			s += " " + fmtExpr(e.Operand)
		}
		for _, w := range e.Whens {
			s += " WHEN " + fmtExpr(w.Cond) + " THEN " + fmtExpr(w.Result)
		}
		if e.Else != nil {
			s += " ELSE " + fmtExpr(e.Else)
		}
		return s + " END"
	case *Cast:
		return "CAST(" + fmtExpr(e.Expr) + " AS " + e.Type.String() + ")"
	case *Call:
		switch {
		case e.Star:
			return fmtIdent(e.Name) + "(*)"
		case e.Distinct:
			return fmtIdent(e.Name) + "(DISTINCT " + fmtExprs(e.Args) + ")"
		}
		return fmtIdent(e.Name) + "(" + fmtExprs(e.Args) + ")"
	case *Deref:
		return "(" + fmtExpr(e.X) + "->" + fmtIdent(e.Field) + ")"
	case *Subscript:
		return "(" + fmtExpr(e.X) + "[" + fmtExpr(e.Index) + "])"
	case *ArrayExpr:
		return "ARRAY[" + fmtExprs(e.Elems) + "]"
	case *MapExpr:
		parts := make([]string, len(e.Entries))
		for i, en := range e.Entries {
			parts[i] = fmtExpr(en.Key) + ":=" + fmtExpr(en.Value)
		}
		return "MAP(" + strings.Join(parts, ", ") + ")"
	case *StructExpr:
		parts := make([]string, len(e.Fields))
		for i, f := range e.Fields {
			parts[i] = fmtIdent(f.Name) + ":=" + fmtExpr(f.Value)
		}
		return "STRUCT(" + strings.Join(parts, ", ") + ")"
	case *Lambda:
		ps := make([]string, len(e.Params))
		for i, p := range e.Params {
			ps[i] = fmtIdent(p)
		}
		return "((" + strings.Join(ps, ", ") + ") => " + fmtExpr(e.Body) + ")"
	}
	return fmt.Sprintf("?%T", e)
}

// walkExprs calls f on every expression of s.
func walkExprs(s *Select, f func(Expr)) {
	var walk func(e Expr)
	walk = func(e Expr) {
		if e == nil {
			return
		}
		f(e)
		switch e := e.(type) {
		case *Unary:
			walk(e.X)
		case *Binary:
			walk(e.L)
			walk(e.R)
		case *IsNull:
			walk(e.X)
		case *IsDistinct:
			walk(e.L)
			walk(e.R)
		case *Between:
			walk(e.X)
			walk(e.Lo)
			walk(e.Hi)
		case *Like:
			walk(e.X)
			walk(e.Pattern)
		case *In:
			walk(e.X)
			for _, x := range e.List {
				walk(x)
			}
		case *Case:
			walk(e.Operand)
			for _, w := range e.Whens {
				walk(w.Cond)
				walk(w.Result)
			}
			walk(e.Else)
		case *Cast:
			walk(e.Expr)
		case *Call:
			for _, x := range e.Args {
				walk(x)
			}
		case *Deref:
			walk(e.X)
		case *Subscript:
			walk(e.X)
			walk(e.Index)
		case *ArrayExpr:
			for _, x := range e.Elems {
				walk(x)
			}
		case *MapExpr:
			for _, en := range e.Entries {
				walk(en.Key)
				walk(en.Value)
			}
		case *StructExpr:
			for _, fv := range e.Fields {
				walk(fv.Value)
			}
		case *Lambda:
			walk(e.Body)
		}
	}
	for _, it := range s.Items {
		walk(it.Expr)
	}
	var rel func(r *Relation)
	rel = func(r *Relation) {
		if r != nil && r.Join != nil {
			rel(r.Join.Left)
			walk(r.Join.On)
		}
	}
	rel(s.From)
	walk(s.Where)
	for _, e := range s.GroupBy {
		walk(e)
	}
	for _, e := range s.PartitionBy {
		walk(e)
	}
	walk(s.Having)
}

func selectOf(t *testing.T, src string) *Select {
	t.Helper()
	var sel *Select
	switch st := parseOne(t, src, nil).(type) {
	case *Query:
		sel = st.Select
	case *CreateAsSelect:
		sel = st.Select
	case *InsertSelect:
		sel = st.Select
	default:
		t.Fatalf("%q: %T has no query", src, st)
	}
	// Every node's position is the start of a token of the original text.
	walkExprs(sel, func(e Expr) {
		p := e.Position()
		checkPos(t, src, p)
		if r := src[p.Offset:]; r == "" || r[0] == ' ' || r[0] == ',' {
			t.Errorf("%q: %s at %s is not at a token", src, fmtExpr(e), p)
		}
	})
	return sel
}

func TestSelectGolden(t *testing.T) {
	tests := []struct{ in, want string }{
		// Trap: || is concatenation (KSQL precedence: below + -, above comparison), not OR.
		{"SELECT a || b + c, a || 'x' = 'y' OR c FROM s",
			"SELECT (A || (B + C)), (((A || \"x\") = \"y\") OR C) FROM S"},
		// Trap: "x" is an identifier (case kept); 'x' is a string.
		{`SELECT "x", 'x', "Mixed"."Col" FROM "src"`, "SELECT `x`, \"x\", `Mixed`.`Col` FROM `src`"},
		// Trap: FULL JOIN is a full join, not "a AS FULL JOIN b".
		{"SELECT * FROM a FULL JOIN b ON a.id = b.id",
			"SELECT * FROM (A FULL JOIN B ON (A.ID = B.ID))"},
		{"SELECT a.*, b.x FROM a AS l FULL OUTER JOIN b r WITHIN 1 HOUR ON l.id = r.id LEFT OUTER JOIN c WITHIN (1 SECOND, 2 SECONDS) GRACE PERIOD 3 SECONDS ON c.id = l.id RIGHT JOIN d ON d.k = c.k INNER JOIN e ON TRUE EMIT CHANGES",
			"SELECT A.*, B.X FROM ((((A L FULL JOIN B R WITHIN (1 HOUR, 1 HOUR) ON (L.ID = R.ID)) LEFT JOIN C WITHIN (1 SECOND, 2 SECONDS) GRACE PERIOD 3 SECONDS ON (C.ID = L.ID)) RIGHT JOIN D ON (D.K = C.K)) INNER JOIN E ON BOOLEAN:TRUE) EMIT CHANGES"},
		// Trap: backslashes in strings are literal.
		{`SELECT 'a\nb', 'c\', 'it''s' FROM s`, `SELECT "a\\nb", "c\\", "it's" FROM S`},
		// Clauses.
		{"SELECT id, COUNT(*) AS n FROM s WINDOW TUMBLING (SIZE 1 MINUTE, RETENTION 2 DAYS, GRACE PERIOD 10 SECONDS) WHERE x > 1 GROUP BY id HAVING COUNT(*) > 2 EMIT FINAL",
			"SELECT ID, COUNT(*) AS N FROM S WINDOW TUMBLING(1 MINUTE, RETENTION 2 DAYS, GRACE PERIOD 10 SECONDS) WHERE (X > INTEGER:1) GROUP BY ID HAVING (COUNT(*) > INTEGER:2) EMIT FINAL"},
		{"SELECT id FROM s WINDOW HOPPING (SIZE 10 SECONDS, ADVANCE BY 5 SECONDS) GROUP BY (id, x)",
			"SELECT ID FROM S WINDOW HOPPING(10 SECONDS, ADVANCE BY 5 SECONDS) GROUP BY ID, X"},
		{"SELECT id FROM s WINDOW SESSION (30 SECONDS) GROUP BY 1", "SELECT ID FROM S WINDOW SESSION(30 SECONDS) GROUP BY INTEGER:1"},
		{"SELECT * FROM s PARTITION BY a, b->c EMIT CHANGES LIMIT 10", "SELECT * FROM S PARTITION BY A, (B->C) EMIT CHANGES LIMIT 10"},
		// Expressions.
		{"SELECT s->f1->`f2`, arr[1], m['k']->f, f(x)[2]->g, ARRAY[1, 2][0] FROM t",
			"SELECT ((S->F1)->`f2`), (ARR[INTEGER:1]), ((M[\"k\"])->F), ((F(X)[INTEGER:2])->G), (ARRAY[INTEGER:1, INTEGER:2][INTEGER:0]) FROM T"},
		{"SELECT MAP('a' := 1, 'b' := -2.50), STRUCT(a := 1, `B` := ARRAY[]), CAST(x AS DECIMAL(10, 2)), CAST(m AS MAP<STRING, ARRAY<INT>>) FROM t",
			"SELECT MAP(\"a\":=INTEGER:1, \"b\":=DECIMAL:-2.50), STRUCT(A:=INTEGER:1, `B`:=ARRAY[]), CAST(X AS DECIMAL(10, 2)), CAST(M AS MAP<STRING, ARRAY<INTEGER>>) FROM T"},
		{"SELECT TRANSFORM(arr, x => x + 1), REDUCE(arr, 0, (s, x) => s + x), FILTER(m, (k, v) => v > 1 AND k <> 'a') FROM t",
			"SELECT TRANSFORM(ARR, ((X) => (X + INTEGER:1))), REDUCE(ARR, INTEGER:0, ((S, X) => (S + X))), FILTER(M, ((K, V) => ((V > INTEGER:1) AND (K <> \"a\")))) FROM T"},
		{"SELECT a IS DISTINCT FROM b, a IS NOT DISTINCT FROM -1, a IS NULL, b IS NOT NULL, NOT c FROM t",
			"SELECT (A IS DISTINCT FROM B), (A IS NOT DISTINCT FROM INTEGER:-1), (A IS NULL), (B IS NOT NULL), (NOT C) FROM T"},
		{"SELECT a BETWEEN 1 AND 2, a NOT BETWEEN 1.5 AND 2e3, b LIKE 'a%', b NOT LIKE 'x!%' ESCAPE '!', c IN (1, 2), c NOT IN ('a') FROM t",
			"SELECT (A BETWEEN INTEGER:1 AND INTEGER:2), (A NOT BETWEEN DECIMAL:1.5 AND DOUBLE:2e3), (B LIKE \"a%\"), (B NOT LIKE \"x!%\" ESCAPE '!'), (C IN (INTEGER:1, INTEGER:2)), (C NOT IN (\"a\")) FROM T"},
		{"SELECT CASE WHEN a < 0 THEN 'neg' WHEN a = 0 THEN 'zero' ELSE 'pos' END, CASE a WHEN 1 THEN 'one' END FROM t",
			"SELECT CASE WHEN (A < INTEGER:0) THEN \"neg\" WHEN (A = INTEGER:0) THEN \"zero\" ELSE \"pos\" END, CASE A WHEN INTEGER:1 THEN \"one\" END FROM T"},
		{"SELECT COUNT(DISTINCT a), HISTOGRAM(a), EXTRACT(a), `sum`(b), -a * (b - c) / d % 2, +1 FROM t",
			"SELECT COUNT(DISTINCT A), HISTOGRAM(A), EXTRACT(A), `sum`(B), ((((- A) * (B - C)) / D) % INTEGER:2), INTEGER:1 FROM T"},
		// DISTINCT is not a KSQL keyword: a column with an alias, as in ksqlDB.
		{"SELECT DISTINCT a FROM s", "SELECT DISTINCT AS A FROM S"},
		// KSQL identifiers that TiDB reserves, and KSQL words TiDB knows.
		{"SELECT key, `order`, range, rank, interval, size, emit_x FROM s WHERE key = 'k1'",
			"SELECT KEY, `order`, RANGE, RANK, INTERVAL, SIZE, EMIT_X FROM S WHERE (KEY = \"k1\")"},
		{"CREATE STREAM o WITH (kafka_topic='o') AS SELECT ROWTIME, WINDOWSTART FROM s EMIT CHANGES;",
			"SELECT ROWTIME, WINDOWSTART FROM S EMIT CHANGES"},
		{"INSERT INTO o SELECT * FROM s WHERE a <> b AND a != c OR a <= d", "SELECT * FROM S WHERE (((A <> B) AND (A <> C)) OR (A <= D))"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			if got := fmtSelect(selectOf(t, tt.in)); got != tt.want {
				t.Errorf("got  %s\nwant %s", got, tt.want)
			}
		})
	}
}

// TestSelectPositions checks positions of the original text through the rewrites.
func TestSelectPositions(t *testing.T) {
	src := "CREATE STREAM o AS\n  SELECT a,\n    b->c[1] + f(x) AS y\n  FROM s WINDOW TUMBLING (SIZE 1 SECOND)\n  WHERE é = 'é' EMIT CHANGES;"
	sel := selectOf(t, src)
	bin := sel.Items[1].Expr.(*Binary)
	call := bin.R.(*Call)
	sub := bin.L.(*Subscript)
	for _, c := range []struct {
		name string
		got  Pos
		want string
	}{
		{"select", sel.Pos, "2:3"},
		{"binary", bin.Pos, "3:5"},
		{"subscript", sub.Pos, "3:5"},
		{"deref field", sub.X.(*Deref).Field.Pos, "3:8"},
		{"call", call.Pos, "3:15"},
		{"alias", sel.Items[1].Alias.Pos, "3:23"},
		{"source", sel.From.Source.Pos, "4:8"},
		{"window", sel.Window.Pos, "4:10"},
		{"where rhs", sel.Where.(*Binary).R.Position(), "5:13"},
	} {
		if c.got.String() != c.want {
			t.Errorf("%s at %s, want %s", c.name, c.got, c.want)
		}
	}
}

// TestSelectErrors checks positioned errors (line:column of the original text, in runes),
// including MySQL syntax that TiDB accepts and KSQL does not.
func TestSelectErrors(t *testing.T) {
	tests := []struct{ in, want string }{
		{"SELECT a,\n  b +\n  FROM s\nEMIT CHANGES;", "line 3:3: Syntax Error\nmismatched input 'FROM'"},
		{"CREATE STREAM x WITH (kafka_topic='t') AS\n  SELECT ARRAY[1,2,,3] FROM s;", "line 2:20: Syntax Error\nmismatched input ','"},
		{"SELECT s->a->b\n     , f(x y) FROM t", "line 2:12: Syntax Error\nmismatched input 'y'"},
		{"SELECT 'é', \n  é b c FROM s", "line 2:7: Syntax Error\nmismatched input 'c'"},
		{"SELECT * FROM s WINDOW TUMBLING (SIZE 1 SECOND)\nWHERE\nGROUP BY a", "line 3:1: Syntax Error\nmismatched input 'GROUP'"},
		{"SELECT * FROM a JOIN b WITHIN 1 HOUR ON a.id = = b.id", "line 1:48: Syntax Error\nmismatched input '='"},
		{"SELECT * FROM s WHERE a IN (1, 2", "line 1:33: Syntax Error\nmismatched input '<EOF>'"},
		{"SELECT -9223372036854775809 FROM s", "line 1:8: Invalid numeric literal: -9223372036854775809"},
		{"SELECT a - 9223372036854775808 FROM s", "line 1:12: Invalid numeric literal: 9223372036854775808"},
		{"SELECT f(-1.7976931348623160E308) FROM s", "line 1:10: Number overflows DOUBLE: -1.7976931348623160E308"},
		{"SELECT a FROM s EMIT", "line 1:21: Syntax error at or near '<EOF>' at line 1:21: expecting CHANGES or FINAL"},
		{"SELECT a FROM s WINDOW TUMBLING (1 SECOND)", "line 1:34: Syntax error at or near '1' at line 1:34: expecting SIZE"},
		{"SELECT a", "line 1:9: Syntax error at or near '<EOF>' at line 1:9: expecting FROM"},
		{"SELECT CAST(a AS NOTYPE<INT>) FROM s", "line 1:24: Syntax Error\nmismatched input '<'"},
		// MySQL only.
		{"SELECT a FROM s ORDER BY a", "line 1:23: Syntax Error\nmismatched input 'BY'"},
		{"SELECT a FROM s WHERE a = b = c", "line 1:23: Syntax error at or near 'a' at line 1:23: not supported in KSQL"},
		{"SELECT a.b.c FROM s", "line 1:8: Syntax error at or near 'a' at line 1:8: not supported in KSQL"},
		{"SELECT a FROM s WHERE a IN (SELECT b FROM t)", "line 1:23: Syntax error at or near 'a' at line 1:23: not supported in KSQL"},
		{"SELECT a FROM s UNION SELECT a FROM t", "line 1:23: Syntax Error\nmismatched input 'SELECT'"},
		{"SELECT a FROM s LIMIT 1 OFFSET 2", "line 1:25: Syntax Error\nmismatched input 'OFFSET'"},
		{"SELECT a FROM s LIMIT 1, 2", "line 1:24: Syntax Error\nmismatched input ','"},
		{"SELECT a 'x' FROM s", "line 1:10: Syntax Error\nmismatched input ''x''"},
		{"SELECT a AS 'x' FROM s", "line 1:13: Syntax Error\nmismatched input ''x''"},
		{"SELECT s->'$.a' FROM t", "line 1:11: Syntax error at or near ''$.a'' at line 1:11: expecting a field name"},
		{"SELECT a XOR b FROM s", "line 1:14: Syntax Error\nmismatched input 'b'"},
		{"SELECT NOW() - INTERVAL 1 HOUR FROM s", "line 1:25: Syntax Error\nmismatched input '1'"},
		{"SELECT a FROM s WHERE a IS TRUE", "line 1:23: Syntax error at or near 'a' at line 1:23: not supported in KSQL"},
		{"SELECT a FROM db.s", "line 1:15: Syntax error at or near 'DB' at line 1:15: not supported in KSQL"},
		{"SELECT \"$K_ARR\"(1) FROM s", "line 1:8: function names cannot start with '$'"},
		{"SELECT a FROM s GROUP BY a WITH ROLLUP", "line 1:28: Syntax Error\nmismatched input 'WITH'"},
		// GROUP BY items are value expressions; a grouping set is the only item.
		{"SELECT COUNT(*) FROM s GROUP BY a AND b", "line 1:35: Syntax Error\nmismatched input 'AND'"},
		{"SELECT COUNT(*) FROM s GROUP BY CASE WHEN a = 1 THEN b END = c", "line 1:60: Syntax Error\nmismatched input '='"},
		{"SELECT COUNT(*) FROM s GROUP BY c, (a, b)", "line 1:38: Syntax Error\nmissing ')' at ','"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			_, err := Parse(tt.in, nil)
			var perr *Error
			if !errors.As(err, &perr) {
				t.Fatalf("got %v, want %s", err, tt.want)
			}
			checkPos(t, tt.in, perr.Pos)
			if err.Error() != tt.want {
				t.Errorf("got  %v\nwant %s", err, tt.want)
			}
		})
	}
}

// TestStatementTraps: DESCRIBE and EXPLAIN are KSQL's, parsed by the statement layer (TiDB
// would read them as MySQL's DESC table [column]).
func TestStatementTraps(t *testing.T) {
	if d, ok := parseOne(t, "DESCRIBE s EXTENDED", nil).(*Describe); !ok || d.Name.Name != "S" || !d.Extended {
		t.Errorf("DESCRIBE s EXTENDED = %+v", d)
	}
	if e, ok := parseOne(t, "EXPLAIN q1", nil).(*Explain); !ok || e.QueryID != "Q1" || e.Statement != nil {
		t.Errorf("EXPLAIN q1 = %+v", e)
	}
	e, ok := parseOne(t, "EXPLAIN SELECT a || b FROM s", nil).(*Explain)
	if !ok || fmtSelect(e.Statement.(*Query).Select) != "SELECT (A || B) FROM S" {
		t.Errorf("EXPLAIN SELECT = %+v", e)
	}
}

func TestStructStar(t *testing.T) {
	sel, err := parseSelectText(t, "SELECT ID, S->A->* FROM T")
	if err != nil {
		t.Fatal(err)
	}
	it := sel.Items[1]
	d, ok := it.Expr.(*Deref)
	if !it.Star || !ok || d.Field.Name != "A" {
		t.Fatalf("S->A->* gave %+v", it)
	}
	for _, bad := range []string{"SELECT ID FROM T WHERE S->* = 1", "SELECT S->* + 1 FROM T", "SELECT S->* AS X FROM T"} {
		if _, err := parseSelectText(t, bad); err == nil {
			t.Errorf("%s parsed", bad)
		}
	}
}

func parseSelectText(t *testing.T, text string) (*Select, error) {
	t.Helper()
	sts, err := Parse(text, nil)
	if err != nil {
		return nil, err
	}
	return sts[0].(*Query).Select, nil
}
