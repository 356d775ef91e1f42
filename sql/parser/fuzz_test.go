package parser

import (
	"errors"
	"testing"
)

// FuzzParse checks that no input panics the lexer or the parser, and that every reported
// position lies inside the input with a line:column matching its offset.
func FuzzParse(f *testing.F) {
	for _, s := range []string{
		"CREATE STREAM s (id INT KEY",
		"CREATE STREAM s (a ARRAY<MAP<STRING, STRUCT<x DECIMAL(4, 2)>>> HEADERS) WITH (kafka_topic='t', partitions=-1);",
		"INSERT INTO s VALUES (ARRAY[1], MAP('a' := STRUCT(b := CAST(1 AS INT))), f(*), -1.5e3);",
		"DEFINE x = 'y'; SELECT '${x}' FROM ${x}; UNDEFINE x;",
		"PRINT 'a' FROM BEGINNING INTERVAL 1 LIMIT 2; ASSERT NOT EXISTS SCHEMA ID 3 TIMEOUT 1 SECOND",
		"/* é */ DESCRIBE EXTENDED s; EXPLAIN CREATE TABLE t AS SELECT 1; SHOW ALL TOPICS EXTENDED",
		"SELECT 'unterminated",
		"SELECT a || b, \"x\", s->f[1], ARRAY[1], MAP('a' := 1), STRUCT(b := 2), TRANSFORM(a, (x, y) => x + y), CAST(a AS ARRAY<INT>), COUNT(*), COUNT(DISTINCT a) FROM s FULL OUTER JOIN t WITHIN (1 SECOND, 2 SECONDS) GRACE PERIOD 1 SECOND ON s.a = t.a WINDOW HOPPING (SIZE 1 SECOND, ADVANCE BY 1 SECOND) WHERE a IS NOT DISTINCT FROM b AND c LIKE 'x' ESCAPE '!' GROUP BY a HAVING a BETWEEN 1 AND 2 EMIT FINAL LIMIT 1",
		"CREATE STREAM o AS SELECT CASE a WHEN 1 THEN 'x\\' END FROM s PARTITION BY a, b EMIT CHANGES;",
		"SELECT a->b->c[1][2] FROM s; SELECT a FROM s WHERE a = b = c",
	} {
		f.Add(s)
	}
	if !testing.Short() {
		for i, s := range qttStatements(f, qttDir) {
			if i%25 == 0 {
				f.Add(s.text)
			}
		}
	}
	f.Fuzz(func(t *testing.T, in string) {
		sts, err := Parse(in, map[string]string{"v": "x", "w": "'a'"})
		if err != nil {
			var perr *Error
			if !errors.As(err, &perr) {
				t.Fatalf("error %T is not *Error: %v", err, err)
			}
			checkPos(t, in, perr.Pos)
			return
		}
		for _, st := range sts {
			checkPos(t, in, st.Position())
		}
	})
}

func checkPos(t *testing.T, in string, p Pos) {
	t.Helper()
	if p.Offset < 0 || p.Offset > len(in) {
		t.Fatalf("offset %d outside the input (%d bytes)", p.Offset, len(in))
	}
	if want := advance(Pos{Line: 1, Col: 1}, in[:p.Offset]); want != p {
		t.Fatalf("position %+v, but its offset is at %+v", p, want)
	}
}
