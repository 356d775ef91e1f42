package server_test

import (
	"context"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"testing"
)

// TestQueryPull: rows inserted with INSERT VALUES are answered by pull queries on
// /query, on a table (from its store) and on a stream (from its topic).
func TestQueryPull(t *testing.T) {
	ts := newTestServer(t)
	ts.ksql(t, `
		CREATE STREAM s (k STRING KEY, v BIGINT) WITH (KAFKA_TOPIC='s', VALUE_FORMAT='JSON', PARTITIONS=1);
		CREATE TABLE totals AS SELECT k, SUM(v) AS total FROM s GROUP BY k;
		INSERT INTO s (k, v) VALUES ('a', 1);
		INSERT INTO s (k, v) VALUES ('a', 2);
		INSERT INTO s (k, v) VALUES ('b', 5);`)
	want := "[{\"header\":{\"queryId\":\"QID\",\"schema\":\"`K` STRING KEY, `TOTAL` BIGINT\"}},\n{\"row\":{\"columns\":[\"a\",3]}}]\n"
	var got string
	waitFor(t, "the table to hold a=3", func() bool {
		code, body := post(t, ts.url, "/query", map[string]any{"ksql": "SELECT * FROM totals WHERE k = 'a';"})
		if code != http.StatusOK {
			t.Fatalf("/query: %d %s", code, body)
		}
		got = string(body)
		var elems []map[string]any
		if err := json.Unmarshal(body, &elems); err != nil {
			t.Fatalf("%v in %s", err, body)
		}
		id, _ := elems[0]["header"].(map[string]any)["queryId"].(string)
		return strings.Replace(got, id, "QID", 1) == want
	})
	code, body := post(t, ts.url, "/query", map[string]any{"ksql": "SELECT k, v FROM s;", "streamsProperties": map[string]any{}})
	if code != http.StatusOK || !strings.Contains(string(body), `{"row":{"columns":["b",5]}}`) || !strings.Contains(string(body), `{"finalMessage":"Query Completed"}`) {
		t.Errorf("pull on a stream: %d %s", code, body)
	}
	// Not a query: an error naming /ksql.
	code, body = post(t, ts.url, "/query", map[string]any{"ksql": "SHOW STREAMS;"})
	if code != http.StatusBadRequest || !strings.Contains(string(body), "not supported for this resource") {
		t.Errorf("SHOW on /query: %d %s", code, body)
	}
	// A failing query: statement_error.
	code, body = post(t, ts.url, "/query", map[string]any{"ksql": "SELECT * FROM nope;"})
	if code != http.StatusBadRequest || !strings.Contains(string(body), `"statement_error"`) {
		t.Errorf("unknown source on /query: %d %s", code, body)
	}
}

// TestQueryPushLimit: a push query with LIMIT streams the rows inserted while it runs,
// then its final message, and its transient query is gone afterwards.
func TestQueryPushLimit(t *testing.T) {
	ts := newTestServer(t)
	ts.ksql(t, `CREATE STREAM s (k STRING KEY, v BIGINT) WITH (KAFKA_TOPIC='s', VALUE_FORMAT='JSON', PARTITIONS=1);`)
	resp := stream(t, http.DefaultClient, ts.url+"/query", `{"ksql":"SELECT k, v * 10 AS v10 FROM s EMIT CHANGES LIMIT 2;"}`, nil)
	ch := elements(resp.Body)
	header := nextLine(t, ch)
	if !strings.Contains(header, `"queryId":"SCALABLE_PUSH_QUERY_`) || !strings.Contains(header, "\"schema\":\"`K` STRING, `V10` BIGINT\"") {
		t.Fatalf("header %s", header)
	}
	ts.ksql(t, "INSERT INTO s (k, v) VALUES ('a', 1); INSERT INTO s (k, v) VALUES ('b', 2); INSERT INTO s (k, v) VALUES ('c', 3);")
	for _, want := range []string{`{"row":{"columns":["a",10]}}`, `{"row":{"columns":["b",20]}}`, `{"finalMessage":"Limit Reached"}`} {
		if got := nextLine(t, ch); got != want {
			t.Errorf("got %s, want %s", got, want)
		}
	}
	if l, ok := <-ch; ok {
		t.Errorf("more after the final message: %s", l)
	}
	waitPushGone(t, ts)
	// Its private topic is deleted.
	waitFor(t, "the push query's topic to be deleted", func() bool {
		for _, topic := range ts.ksql(t, "SHOW ALL TOPICS;")[0]["topics"].([]any) {
			if strings.Contains(topic.(map[string]any)["name"].(string), "transient") {
				return false
			}
		}
		return true
	})
}

// TestQueryPushDisconnect: a push query without LIMIT streams until its client leaves;
// then its transient query is stopped and forgotten.
func TestQueryPushDisconnect(t *testing.T) {
	ts := newTestServer(t)
	ts.ksql(t, `CREATE STREAM s (k STRING KEY, v BIGINT) WITH (KAFKA_TOPIC='s', VALUE_FORMAT='JSON', PARTITIONS=1);
		INSERT INTO s (k, v) VALUES ('a', 1);`)
	ctx, cancel := context.WithCancel(t.Context())
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, ts.url+"/query", strings.NewReader(`{"ksql":"SELECT * FROM s EMIT CHANGES;","streamsProperties":{"auto.offset.reset":"earliest"}}`))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	ch := elements(resp.Body)
	nextLine(t, ch) // header
	if got := nextLine(t, ch); got != `{"row":{"columns":[1]}}` && got != `{"row":{"columns":["a",1]}}` {
		t.Errorf("first row %s", got)
	}
	if n := countPush(t, ts); n != 1 {
		t.Errorf("SHOW QUERIES lists %d push queries while one runs", n)
	}
	cancel()
	resp.Body.Close()
	waitPushGone(t, ts)
	// The server still serves.
	ts.ksql(t, "SHOW STREAMS;")
}

// stream posts body and returns the response, whose body the caller reads; it fails
// unless the status is 200.
func stream(t *testing.T, c *http.Client, url, body string, hdr http.Header) *http.Response {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), http.MethodPost, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range hdr {
		req.Header[k] = v
	}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { resp.Body.Close() })
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("%s: status %d", url, resp.StatusCode)
	}
	return resp
}

func countPush(t *testing.T, ts *testServer) int {
	t.Helper()
	n := 0
	for _, q := range ts.ksql(t, "SHOW QUERIES;")[0]["queries"].([]any) {
		if q.(map[string]any)["queryType"] == "PUSH" {
			n++
		}
	}
	return n
}

// waitPushGone waits until no push query is listed and the runner runs no transient
// query.
func waitPushGone(t *testing.T, ts *testServer) {
	t.Helper()
	waitFor(t, "the push query to be cleaned up", func() bool {
		if countPush(t, ts) != 0 {
			return false
		}
		for i := range 100 {
			if _, ok := ts.runner.Metrics("transient_" + strconv.Itoa(i)); ok {
				return false
			}
		}
		return true
	})
}
