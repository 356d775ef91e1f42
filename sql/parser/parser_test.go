package parser

import (
	"errors"
	"strings"
	"testing"
)

func parseOne(t *testing.T, src string, vars map[string]string) Statement {
	t.Helper()
	sts, err := Parse(src, vars)
	if err != nil {
		t.Fatalf("Parse(%q): %v", src, err)
	}
	if len(sts) != 1 {
		t.Fatalf("Parse(%q): %d statements, want 1", src, len(sts))
	}
	return sts[0]
}

func TestParseGolden(t *testing.T) {
	tests := []struct{ in, want string }{
		// CREATE STREAM / TABLE with columns.
		{"CREATE STREAM s (id INT KEY, name VARCHAR, amount DECIMAL(10, 2)) WITH (kafka_topic='t', value_format='JSON', partitions=2);",
			"CREATE STREAM S (ID INTEGER KEY, NAME STRING, AMOUNT DECIMAL(10, 2)) WITH (KAFKA_TOPIC=\"t\", VALUE_FORMAT=\"JSON\", PARTITIONS=INTEGER:2)"},
		{"create or replace source table if not exists `Users` (\"Id\" bigint primary key, m MAP<STRING, ARRAY<DOUBLE>>, s STRUCT<a INT, `B` STRUCT<c BOOLEAN>>) with (format='JSON', wrap_single_value=false)",
			"CREATE OR REPLACE SOURCE TABLE IF NOT EXISTS `Users` (`Id` BIGINT PRIMARY KEY, M MAP<STRING, ARRAY<DOUBLE>>, S STRUCT<`A` INTEGER, `B` STRUCT<`C` BOOLEAN>>) WITH (FORMAT=\"JSON\", WRAP_SINGLE_VALUE=BOOLEAN:FALSE)"},
		{"CREATE STREAM s (h ARRAY<STRUCT<key STRING, value BYTES>> HEADERS, k BYTES HEADER('abc'), d DATE, t TIME, ts TIMESTAMP, a ADDRESS) WITH (kafka_topic='t', value_format=JSON, timestamp='ts', value_delimiter='|', replicas=-1, x=1.50, y=1e3)",
			"CREATE STREAM S (H ARRAY<STRUCT<`KEY` STRING, `VALUE` BYTES>> HEADERS, K BYTES HEADER(\"abc\"), D DATE, T TIME, TS TIMESTAMP, A ADDRESS) WITH (KAFKA_TOPIC=\"t\", VALUE_FORMAT=IDENTIFIER:JSON, TIMESTAMP=\"ts\", VALUE_DELIMITER=\"|\", REPLICAS=INTEGER:-1, X=DECIMAL:1.50, Y=DOUBLE:1e3)"},
		{"CREATE STREAM s WITH (kafka_topic='t', value_format='AVRO')", "CREATE STREAM S WITH (KAFKA_TOPIC=\"t\", VALUE_FORMAT=\"AVRO\")"},
		{"CREATE STREAM INPUT (k VARCHAR(STRING) KEY) WITH (kafka_topic='input')", "CREATE STREAM INPUT (K STRING KEY) WITH (KAFKA_TOPIC=\"input\")"},
		// AS SELECT keeps a span.
		{"CREATE STREAM out AS SELECT * FROM s EMIT CHANGES;", "CREATE STREAM OUT AS {SELECT * FROM s EMIT CHANGES @1:22}"},
		{"CREATE OR REPLACE TABLE t WITH (kafka_topic='o') AS\n  SELECT id, COUNT(*) FROM s GROUP BY id;",
			"CREATE OR REPLACE TABLE T WITH (KAFKA_TOPIC=\"o\") AS {SELECT id, COUNT(*) FROM s GROUP BY id @2:3}"},
		{"SELECT * FROM t WHERE id = 'k1';", "QUERY {SELECT * FROM t WHERE id = 'k1' @1:1}"},
		{"INSERT INTO out SELECT * FROM s;", "INSERT INTO OUT {SELECT * FROM s @1:17}"},
		{"INSERT INTO out WITH (query_id='q') SELECT * FROM s;", "INSERT INTO OUT WITH (QUERY_ID=\"q\") {SELECT * FROM s @1:37}"},
		// INSERT VALUES.
		{"INSERT INTO s (id, val) VALUES (1, 'hello');", "INSERT INTO S (ID, VAL) VALUES (INTEGER:1, \"hello\")"},
		{"INSERT INTO s VALUES (NULL, true, FALSE, -1, +2.50, -1.5e-3, 'it''s');",
			"INSERT INTO S () VALUES (NULL:NULL, BOOLEAN:TRUE, BOOLEAN:FALSE, INTEGER:-1, DECIMAL:2.50, DOUBLE:-1.5e-3, \"it's\")"},
		{"INSERT INTO s VALUES (ARRAY[1, ARRAY[]], MAP('a' := 1, 'b' := NULL), STRUCT(f := 1, `g` := 'x'), CAST('1.5' AS DECIMAL(3, 1)), ts_fn(1, 'a'), COUNT(*))",
			"INSERT INTO S () VALUES (ARRAY[INTEGER:1, ARRAY[]], MAP(\"a\":=INTEGER:1, \"b\":=NULL:NULL), STRUCT(F:=INTEGER:1, `g`:=\"x\"), CAST(\"1.5\" AS DECIMAL(3, 1)), TS_FN(INTEGER:1, \"a\"), COUNT(*))"},
		{"INSERT INTO s VALUES (1 + 2, f(a * b), DATE '2020-01-01', col, CAST(x AS INT))",
			"INSERT INTO S () VALUES (RAW{1 + 2}, F(RAW{a * b}), RAW{DATE '2020-01-01'}, RAW{col}, CAST(RAW{x} AS INTEGER))"},
		// DROP / ALTER.
		{"DROP STREAM IF EXISTS s DELETE TOPIC;", "DROP STREAM IF EXISTS S DELETE TOPIC"},
		{"drop table t", "DROP TABLE T"},
		{"DROP TYPE IF EXISTS address", "DROP TYPE IF EXISTS ADDRESS"},
		{"ALTER STREAM s ADD COLUMN a INT, ADD b STRING", "ALTER STREAM S ADD A INTEGER, B STRING"},
		// SHOW / LIST.
		{"SHOW STREAMS", "SHOW STREAMS"},
		{"LIST TABLES EXTENDED", "SHOW TABLES EXTENDED"},
		{"SHOW ALL TOPICS EXTENDED", "SHOW ALL TOPICS EXTENDED"},
		{"list queries extended", "SHOW QUERIES EXTENDED"},
		{"SHOW PROPERTIES", "SHOW PROPERTIES"},
		{"SHOW FUNCTIONS", "SHOW FUNCTIONS"},
		{"LIST TYPES", "SHOW TYPES"},
		{"SHOW VARIABLES", "SHOW VARIABLES"},
		{"SHOW SOURCE CONNECTORS", "SHOW CONNECTORS"},
		// DESCRIBE / EXPLAIN / TERMINATE.
		{"DESCRIBE s", "DESCRIBE S"},
		{"DESCRIBE s EXTENDED", "DESCRIBE S EXTENDED"},
		{"DESCRIBE EXTENDED s", "DESCRIBE S EXTENDED"},
		{"DESCRIBE EXTENDED", "DESCRIBE EXTENDED"}, // a source named EXTENDED
		{"DESCRIBE STREAMS EXTENDED", "DESCRIBE STREAMS EXTENDED"},
		{"DESCRIBE TABLES", "DESCRIBE TABLES"},
		{"DESCRIBE FUNCTION substring", "DESCRIBE FUNCTION SUBSTRING"},
		{"EXPLAIN CSAS_OUT_0", "EXPLAIN CSAS_OUT_0"},
		{"EXPLAIN SELECT * FROM s EMIT CHANGES", "EXPLAIN QUERY {SELECT * FROM s EMIT CHANGES @1:9}"},
		{"EXPLAIN CREATE STREAM o AS SELECT * FROM s", "EXPLAIN CREATE STREAM O AS {SELECT * FROM s @1:28}"},
		{"TERMINATE CTAS_T_1;", "TERMINATE CTAS_T_1"},
		{"TERMINATE ALL", "TERMINATE ALL"},
		// Properties and variables.
		{"SET 'auto.offset.reset'='earliest';", "SET \"auto.offset.reset\" = \"earliest\""},
		{"UNSET 'auto.offset.reset'", "UNSET \"auto.offset.reset\""},
		{"DEFINE topic = 'my_topic'", "DEFINE TOPIC = \"my_topic\""},
		{"UNDEFINE topic", "UNDEFINE TOPIC"},
		// Types.
		{"CREATE TYPE address AS STRUCT<street STRING, zip INT>", "CREATE TYPE ADDRESS AS STRUCT<`STREET` STRING, `ZIP` INTEGER>"},
		{"CREATE TYPE IF NOT EXISTS ids AS ARRAY<BIGINT>", "CREATE TYPE IF NOT EXISTS IDS AS ARRAY<BIGINT>"},
		// PRINT.
		{"PRINT 'my-topic' FROM BEGINNING INTERVAL 2 LIMIT 10;", "PRINT \"my-topic\" FROM BEGINNING INTERVAL 2 LIMIT 10"},
		{"PRINT myTopic", "PRINT \"myTopic\" INTERVAL 0 LIMIT 0"},
		// ASSERT.
		{"ASSERT TOPIC 'x' WITH (partitions=1) TIMEOUT 10 SECONDS", "ASSERT TOPIC \"x\" ID 0 WITH (PARTITIONS=INTEGER:1) TIMEOUT \"10 SECONDS\""},
		{"ASSERT NOT EXISTS SCHEMA SUBJECT 's-value' ID 3", "ASSERT NOT EXISTS SCHEMA \"s-value\" ID 3 TIMEOUT \"\""},
		// Digit identifiers, comments.
		{"CREATE STREAM 1s /* c */ (a INT) -- trailing\n WITH (kafka_topic='t')", "CREATE STREAM 1S (A INTEGER) WITH (KAFKA_TOPIC=\"t\")"},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			if got := render(parseOne(t, tc.in, nil)); got != tc.want {
				t.Errorf("got  %s\nwant %s", got, tc.want)
			}
		})
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct{ in, want string }{
		// At the end of input the error points just past the last token, as ksqlDB's <EOF>.
		{"CREATE STREAM s (id INT KEY", "line 1:28: Syntax Error\nExpecting {',', ')'}\nStatement: CREATE STREAM s (id INT KEY"},
		{"CREATE STREAM s (id INT KEY;", "line 1:28: Syntax Error\nExpecting {',', ')'}\nStatement: CREATE STREAM s (id INT KEY;"},
		{"CREATE STREAM s\n  (id INT,\n   name FOO BAR)", "line 3:13: Syntax Error\nExpecting {',', ')'}\nStatement:    name FOO BAR)"},
		{"SELECT 1 FROM s;\nCREATE STREAM t\n  (id INT (KEY)) WITH (kafka_topic='t');", "line 3:12: Syntax Error\nExpecting {'STRING', INTEGER_VALUE}\nStatement:   (id INT (KEY)) WITH (kafka_topic='t');"},
		{"CREATE STREAM s (id INT) WITH (kafka_topic = )", "line 1:46: Syntax error at or near ')' at line 1:46: expecting a property value"},
		{"CREATE STREAM s (id DECIMAL(10))", "line 1:21: DECIMAL requires a precision and a scale: DECIMAL(p, s)"},
		{"CREATE STREAM s (id ARRAY<INT)", "line 1:30: Syntax error at or near ')' at line 1:30: expecting '>'"},
		{"CREATE STREAM s (select INT)", "line 1:18: Syntax error at or near 'select' at line 1:18: expecting an identifier"},
		{"CREATE STREAM INPUT (K STRING (KEY))", "line 1:32: Syntax Error\nExpecting {'STRING', INTEGER_VALUE}\nStatement: CREATE STREAM INPUT (K STRING (KEY))"},
		{"CREATE STREAM INPUT (K VARCHAR(STRING) (KEY));", "line 1:40: Syntax Error\nExpecting {',', ')'}\nStatement: CREATE STREAM INPUT (K VARCHAR(STRING) (KEY));"},
		{"CREATE FOO x", "line 1:8: Syntax error at or near 'FOO' at line 1:8: expecting STREAM or TABLE"},
		{"RUN SCRIPT 'foo';", "line 1:1: Syntax Error\nUnknown statement 'RUN'"},
		{"ASSERT VALUES foo (id INT) VALUES (123);", "line 1:8: Syntax error at or near 'VALUES' at line 1:8: expecting TOPIC or SCHEMA"},
		{"DROP STREAM s EXTRA", "line 1:15: Syntax error at or near 'EXTRA' at line 1:15: expecting end of statement"},
		{"SHOW NOTHING", "line 1:6: Syntax error at or near 'NOTHING' at line 1:6: expecting STREAMS, TABLES, TOPICS, QUERIES, PROPERTIES, FUNCTIONS, TYPES, VARIABLES or CONNECTORS"},
		{"INSERT INTO s VALUES (1, (2)", "line 1:29: Syntax error at or near '<EOF>' at line 1:29: expecting ')'"},
		{"INSERT INTO s VALUES (MAP('a' 1))", "line 1:32: Syntax error at or near ')' at line 1:32: expecting ':='"},
		{"CREATE STREAM o AS DELETE", "line 1:20: Syntax error at or near 'DELETE' at line 1:20: expecting SELECT"},
		// Lexer errors, with rune columns on later lines.
		{"SELECT 'é\n  ", "line 1:8: unterminated string literal"},
		{"SELECT 1;\n-- é\n  é /* x", "line 3:5: unterminated comment"},
		{"SELECT \"abc", "line 1:8: unterminated quoted identifier"},
		{"SELECT é # 1", "line 1:10: unexpected character '#'"},
		{"SELECT 1 FROM s;\nSELECT ${nope}", "line 2:8: unknown variable \"nope\""},
		{"SELECT 1 FROM s;\nSELECT 'a ${nope}'", "line 2:11: unknown variable \"nope\""},
		{"SELECT ${x", "line 1:8: unterminated variable reference"},
		{"SELECT 1 FROM s;\n\n   DROP STREAM", "line 3:15: Syntax error at or near '<EOF>' at line 3:15: expecting an identifier"},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			_, err := Parse(tc.in, nil)
			if err == nil {
				t.Fatalf("no error, want %q", tc.want)
			}
			var perr *Error
			if !errors.As(err, &perr) {
				t.Fatalf("error %T is not *Error: %v", err, err)
			}
			if err.Error() != tc.want {
				t.Errorf("got  %s\nwant %s", err, tc.want)
			}
		})
	}
}

// TestTraps covers the silent traps of the TiDB note that concern this layer.
func TestTraps(t *testing.T) {
	// Backslashes in strings are kept literally: KSQL strings know only ''.
	// The string 'a\nb\' ends at the quote after the backslash.
	iv := parseOne(t, `INSERT INTO s VALUES ('a\nb\', 'c');`, nil)
	if got, want := render(iv), `INSERT INTO S () VALUES ("a\\nb\\", "c")`; got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
	toks, err := Lex(`'a\nb\' "x" `+"`y``z`"+` 'it''s' "q""q"`, Pos{Line: 1, Col: 1})
	if err != nil {
		t.Fatal(err)
	}
	want := []struct {
		kind  TokenKind
		value string
	}{
		{TokString, `a\nb\`}, {TokQuotedIdent, "x"}, {TokQuotedIdent, "y`z"}, {TokString, "it's"},
		{TokQuotedIdent, `q"q`}, {TokEOF, ""},
	}
	if len(toks) != len(want) {
		t.Fatalf("%d tokens, want %d: %+v", len(toks), len(want), toks)
	}
	for i, w := range want {
		if toks[i].Kind != w.kind || toks[i].Value != w.value {
			t.Errorf("token %d = %v %q, want %v %q", i, toks[i].Kind, toks[i].Value, w.kind, w.value)
		}
	}
	// "x" is an identifier (kept as written), never a string.
	cs := parseOne(t, `CREATE STREAM "x" ("Col" INT) WITH (kafka_topic='t')`, nil).(*CreateSource)
	if !cs.Name.Quoted || cs.Name.Name != "x" || cs.Columns[0].Name.Name != "Col" {
		t.Errorf("quoted names: %+v", cs)
	}
	// DESCRIBE s EXTENDED and EXPLAIN id are KSQL statements, not MySQL's DESC.
	if d, ok := parseOne(t, "DESCRIBE s EXTENDED", nil).(*Describe); !ok || !d.Extended || d.Name.Name != "S" {
		t.Errorf("DESCRIBE s EXTENDED: %+v", d)
	}
	if e, ok := parseOne(t, "EXPLAIN q1", nil).(*Explain); !ok || e.QueryID != "Q1" {
		t.Errorf("EXPLAIN q1: %+v", e)
	}
}

func TestLexOperatorsAndPositions(t *testing.T) {
	src := "a->b => :=||<>!=<=>=::\n  é.5 1.5e-3 1E3 12 ${v}"
	toks, err := Lex(src, Pos{Line: 1, Col: 1})
	if err != nil {
		t.Fatal(err)
	}
	want := []struct {
		kind  TokenKind
		value string
		pos   string
	}{
		{TokIdent, "A", "1:1"}, {TokOp, "->", "1:2"}, {TokIdent, "B", "1:4"}, {TokOp, "=>", "1:6"},
		{TokOp, ":=", "1:9"}, {TokOp, "||", "1:11"}, {TokOp, "<>", "1:13"}, {TokOp, "!=", "1:15"},
		{TokOp, "<=", "1:17"}, {TokOp, ">=", "1:19"}, {TokOp, "::", "1:21"},
		{TokIdent, "É", "2:3"}, {TokNumber, ".5", "2:4"}, {TokNumber, "1.5e-3", "2:7"},
		{TokNumber, "1E3", "2:14"}, {TokNumber, "12", "2:18"}, {TokVariable, "v", "2:21"}, {TokEOF, "", "2:25"},
	}
	if len(toks) != len(want) {
		t.Fatalf("%d tokens, want %d: %+v", len(toks), len(want), toks)
	}
	for i, w := range want {
		if toks[i].Kind != w.kind || toks[i].Value != w.value || toks[i].Pos.String() != w.pos {
			t.Errorf("token %d = %v %q @%s, want %v %q @%s", i, toks[i].Kind, toks[i].Value, toks[i].Pos, w.kind, w.value, w.pos)
		}
		if w.kind != TokEOF && src[toks[i].Pos.Offset:toks[i].End] != toks[i].Raw {
			t.Errorf("token %d: Raw %q is not the source span", i, toks[i].Raw)
		}
	}
}

func TestSplit(t *testing.T) {
	src := "SET 'a;b'='c'; -- x; y\nCREATE STREAM s /* ; */ (a INT)\n  WITH (kafka_topic='t;');;\n\n  SELECT 1 FROM s ; SHOW TABLES"
	raws, err := Split(src)
	if err != nil {
		t.Fatal(err)
	}
	want := []struct{ text, pos string }{
		{"SET 'a;b'='c'", "1:1"},
		{"CREATE STREAM s /* ; */ (a INT)\n  WITH (kafka_topic='t;')", "2:1"},
		{"SELECT 1 FROM s", "5:3"},
		{"SHOW TABLES", "5:21"},
	}
	if len(raws) != len(want) {
		t.Fatalf("%d statements, want %d: %+v", len(raws), len(want), raws)
	}
	for i, w := range want {
		if raws[i].Text != w.text || raws[i].Pos.String() != w.pos {
			t.Errorf("statement %d = %q @%s, want %q @%s", i, raws[i].Text, raws[i].Pos, w.text, w.pos)
		}
		if src[raws[i].Pos.Offset:raws[i].Pos.Offset+len(raws[i].Text)] != raws[i].Text {
			t.Errorf("statement %d: offset does not index the script", i)
		}
	}
	sts, err := Parse(src, nil)
	if err != nil {
		t.Fatal(err)
	}
	if q := sts[2].(*Query); q.SelectPos.String() != "5:3" || q.SelectText != "SELECT 1 FROM s" {
		t.Errorf("query span %q @%s", q.SelectText, q.SelectPos)
	}
}

func TestVariables(t *testing.T) {
	src := "DEFINE fmt = 'JSON';\nCREATE STREAM ${name} (a INT) WITH (kafka_topic='${topic}_x', value_format='${FMT}');\n" +
		"UNDEFINE fmt;\nCREATE STREAM s2 AS SELECT * FROM ${name};"
	sts, err := Parse(src, map[string]string{"name": "src", "topic": "t"})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := render(sts[1]), `CREATE STREAM SRC (A INTEGER) WITH (KAFKA_TOPIC="t_x", VALUE_FORMAT="JSON")`; got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
	cs := sts[1].(*CreateSource)
	if cs.Name.Pos.String() != "2:15" {
		t.Errorf("substituted name at %s, want the reference's position 2:15", cs.Name.Pos)
	}
	cas := sts[3].(*CreateAsSelect)
	if cas.SelectText != "SELECT * FROM ${name}" {
		t.Errorf("SelectText %q keeps the original text", cas.SelectText)
	}
	if v := cas.SelectTokens[3]; v.Value != "SRC" || v.Raw != "${name}" {
		t.Errorf("SelectTokens carry the substituted value: %+v", v)
	}
	// UNDEFINE removed fmt.
	if _, err := Parse(src+"\nSELECT '${fmt}';", map[string]string{"name": "src", "topic": "t"}); err == nil ||
		err.Error() != `line 5:9: unknown variable "fmt"` {
		t.Errorf("after UNDEFINE: %v", err)
	}
}

func TestNestingLimit(t *testing.T) {
	for _, in := range []string{
		"INSERT INTO s VALUES (" + strings.Repeat("ARRAY[", 300),
		"CREATE TYPE t AS " + strings.Repeat("ARRAY<", 300) + "INT",
	} {
		_, err := Parse(in, nil)
		if err == nil || !strings.Contains(err.Error(), "nested more than 200 levels deep") {
			t.Errorf("Parse(%.30q...): %v, want a nesting error", in, err)
		}
	}
}
