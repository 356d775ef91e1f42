package server_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
)

// TestKsqlStatements: DDL, SHOW, DESCRIBE, EXPLAIN and TERMINATE on /ksql answer with
// ksqlDB's entities.
func TestKsqlStatements(t *testing.T) {
	ts := newTestServer(t)
	got := ts.ksql(t, `
		CREATE STREAM pageviews (user_id STRING KEY, page STRING, ms BIGINT) WITH (KAFKA_TOPIC='pageviews', VALUE_FORMAT='JSON', PARTITIONS=1);
		CREATE TABLE views AS SELECT user_id, COUNT(*) AS n FROM pageviews GROUP BY user_id;
		INSERT INTO pageviews (user_id, page, ms) VALUES ('u1', '/a', 1);
		SET 'auto.offset.reset'='earliest';`)
	if len(got) != 2 {
		t.Fatalf("%d entities, want 2 (INSERT VALUES and SET answer none): %v", len(got), got)
	}
	for i, want := range []struct{ cmd, msg string }{
		{"stream/`PAGEVIEWS`/create", "Stream created"},
		{"table/`VIEWS`/create", "Created query with ID CTAS_VIEWS_0"},
	} {
		e := got[i]
		st := e["commandStatus"].(map[string]any)
		if e["@type"] != "currentStatus" || e["commandId"] != want.cmd || st["status"] != "SUCCESS" || st["message"] != want.msg {
			t.Errorf("entity %d: %v; want currentStatus %s %q", i, e, want.cmd, want.msg)
		}
		if !strings.HasSuffix(e["statementText"].(string), ";") || e["commandSequenceNumber"] == nil {
			t.Errorf("entity %d lacks statementText or commandSequenceNumber: %v", i, e)
		}
	}
	if q := got[1]["commandStatus"].(map[string]any)["queryId"]; q != "CTAS_VIEWS_0" {
		t.Errorf("queryId %v, want CTAS_VIEWS_0", q)
	}

	show := ts.ksql(t, "SHOW STREAMS; SHOW TABLES; SHOW QUERIES; SHOW TOPICS; SHOW PROPERTIES; SHOW FUNCTIONS; LIST TYPES;")
	types := []string{"streams", "tables", "queries", "kafka_topics", "properties", "function_names", "type_list"}
	if len(show) != len(types) {
		t.Fatalf("%d entities, want %d: %v", len(show), len(types), show)
	}
	for i, typ := range types {
		if show[i]["@type"] != typ {
			t.Errorf("entity %d is %v, want %s", i, show[i]["@type"], typ)
		}
	}
	streams := show[0]["streams"].([]any)
	want := map[string]any{"type": "STREAM", "name": "PAGEVIEWS", "topic": "pageviews", "keyFormat": "KAFKA", "valueFormat": "JSON", "isWindowed": false}
	if len(streams) != 1 || !sameJSON(streams[0], want) {
		t.Errorf("streams %v, want [%v]", streams, want)
	}
	if tables := show[1]["tables"].([]any); len(tables) != 1 || tables[0].(map[string]any)["name"] != "VIEWS" {
		t.Errorf("tables %v", tables)
	}
	if qs := show[2]["queries"].([]any); len(qs) != 1 || qs[0].(map[string]any)["id"] != "CTAS_VIEWS_0" || qs[0].(map[string]any)["queryType"] != "PERSISTENT" {
		t.Errorf("queries %v", qs)
	}
	if !strings.Contains(mustMarshal(t, show[3]), `{"name":"pageviews","replicaInfo":[1]}`) {
		t.Errorf("topics %v lack pageviews", show[3])
	}
	// SET lasted for its request only.
	if props := show[4]["properties"].([]any); len(props) != 0 {
		t.Errorf("properties %v: SET of an earlier request leaked", props)
	}
	if fns := show[5]["functions"].([]any); len(fns) < 50 {
		t.Errorf("only %d functions", len(fns))
	}

	desc := ts.ksql(t, "DESCRIBE views; DESCRIBE pageviews EXTENDED; EXPLAIN CTAS_VIEWS_0; DESCRIBE FUNCTION substring;")
	sd := desc[0]["sourceDescription"].(map[string]any)
	wantFields := `[{"name":"USER_ID","schema":{"fields":null,"memberSchema":null,"type":"STRING"},"type":"KEY"},{"name":"N","schema":{"fields":null,"memberSchema":null,"type":"BIGINT"}}]`
	if desc[0]["@type"] != "sourceDescription" || sd["type"] != "TABLE" || sd["topic"] != "VIEWS" || mustMarshal(t, sd["fields"]) != wantFields {
		t.Errorf("DESCRIBE views: %v\nfields %s\nwant   %s", desc[0], mustMarshal(t, sd["fields"]), wantFields)
	}
	if w := sd["writeQueries"].([]any); len(w) != 1 {
		t.Errorf("writeQueries %v", w)
	}
	if r := desc[1]["sourceDescription"].(map[string]any)["readQueries"].([]any); len(r) != 1 || r[0].(map[string]any)["id"] != "CTAS_VIEWS_0" {
		t.Errorf("readQueries of pageviews %v", r)
	}
	qd := desc[2]["queryDescription"].(map[string]any)
	if desc[2]["@type"] != "queryDescription" || qd["id"] != "CTAS_VIEWS_0" || !strings.Contains(qd["topology"].(string), "Sub-topology") && qd["topology"] == "" {
		t.Errorf("EXPLAIN: %v", desc[2])
	}
	if desc[3]["@type"] != "describe_function" || desc[3]["name"] != "SUBSTRING" || len(desc[3]["functions"].([]any)) == 0 {
		t.Errorf("DESCRIBE FUNCTION: %v", desc[3])
	}

	got = ts.ksql(t, "DROP TABLE views; TERMINATE ALL;")
	if len(got) != 2 || got[0]["@type"] != "currentStatus" || got[1]["@type"] != "currentStatus" {
		t.Errorf("DROP, TERMINATE: %v", got)
	}
}

// TestKsqlErrors: a failing statement is a 400 statement_error quoting it, with the
// entities of the statements before it; the statements after it do not run.
func TestKsqlErrors(t *testing.T) {
	ts := newTestServer(t)
	for _, tc := range []struct {
		name, ksql, stmt, msg string
		entities              int
	}{
		{"unknown source", "CREATE STREAM a (id INT) WITH (KAFKA_TOPIC='a', VALUE_FORMAT='JSON', PARTITIONS=1); DESCRIBE nope; CREATE STREAM b (id INT) WITH (KAFKA_TOPIC='b', VALUE_FORMAT='JSON', PARTITIONS=1);",
			"DESCRIBE nope;", "Could not find STREAM/TABLE 'NOPE' in the Metastore", 1},
		{"parse error", "CREATE STRAM x (id INT);", "CREATE STRAM x (id INT);", "Statement: CREATE STRAM x (id INT);", 0},
		{"select on /ksql", "SELECT * FROM a EMIT CHANGES;", "SELECT * FROM a EMIT CHANGES;", "should be issued to the websocket endpoint '/query'", 0},
		{"unterminated string", "SHOW 'STREAMS;", "SHOW 'STREAMS;", "", 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, body := post(t, ts.url, "/ksql", map[string]any{"ksql": tc.ksql})
			var e map[string]any
			if err := json.Unmarshal(body, &e); err != nil {
				t.Fatalf("%v: %s", err, body)
			}
			if code != http.StatusBadRequest || e["@type"] != "statement_error" || e["error_code"] != 40001.0 ||
				e["statementText"] != tc.stmt || !strings.Contains(e["message"].(string), tc.msg) {
				t.Errorf("got %d %s; want 400 statement_error on %q with %q", code, body, tc.stmt, tc.msg)
			}
			if ents, ok := e["entities"].([]any); !ok || len(ents) != tc.entities {
				t.Errorf("entities %v, want %d", e["entities"], tc.entities)
			}
		})
	}
	// The statement after the failing one did not run.
	if ts.eng.Catalog.Source("B") != nil || ts.eng.Catalog.Source("A") == nil {
		t.Errorf("after a failed request: A %v, B %v; want A only", ts.eng.Catalog.Source("A") != nil, ts.eng.Catalog.Source("B") != nil)
	}
}

func sameJSON(a, b any) bool {
	ja, _ := json.Marshal(a)
	jb, _ := json.Marshal(b)
	return string(ja) == string(jb)
}

func mustMarshal(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
