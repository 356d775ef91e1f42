package server_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
)

// h2cClient speaks HTTP/2 without TLS (prior knowledge), as ksqlDB's clients do.
func h2cClient(t *testing.T) *http.Client {
	t.Helper()
	var p http.Protocols
	p.SetUnencryptedHTTP2(true)
	tr := &http.Transport{Protocols: &p}
	t.Cleanup(tr.CloseIdleConnections)
	return &http.Client{Transport: tr}
}

// TestQueryStreamH2C: /query-stream over HTTP/2 cleartext answers pull queries in the
// delimited and the JSON format, and streams a push query until /close-query ends it.
func TestQueryStreamH2C(t *testing.T) {
	ts := newTestServer(t)
	c := h2cClient(t)
	ts.ksql(t, `CREATE STREAM s (k STRING KEY, v BIGINT) WITH (KAFKA_TOPIC='s', VALUE_FORMAT='JSON', PARTITIONS=1);
		INSERT INTO s (k, v) VALUES ('a', 1);
		INSERT INTO s (k, v) VALUES ('b', 2);`)

	body := `{"sql":"SELECT k, v FROM s;","properties":{}}`
	resp := stream(t, c, ts.url+"/query-stream", body, nil)
	if resp.ProtoMajor != 2 {
		t.Errorf("protocol %s, want HTTP/2", resp.Proto)
	}
	if ct := resp.Header.Get("Content-Type"); ct != "application/vnd.ksqlapi.delimited.v1" {
		t.Errorf("content type %q", ct)
	}
	got := drain(t, lines(resp.Body))
	if len(got) != 3 || !strings.Contains(got[0], `"columnNames":["K","V"],"columnTypes":["STRING","BIGINT"]`) ||
		got[1] != `["a",1]` || got[2] != `["b",2]` {
		t.Errorf("delimited response %q", got)
	}

	resp = stream(t, c, ts.url+"/query-stream", body, http.Header{"Accept": {"application/json"}})
	var arr []json.RawMessage
	if err := json.NewDecoder(resp.Body).Decode(&arr); err != nil {
		t.Fatal(err)
	}
	if len(arr) != 3 || !strings.Contains(string(arr[0]), `"queryId"`) || string(arr[2]) != `["b",2]` {
		t.Errorf("JSON response %s", arr)
	}

	// A push query runs until /close-query.
	resp = stream(t, c, ts.url+"/query-stream", `{"sql":"SELECT k, v FROM s EMIT CHANGES;","properties":{"auto.offset.reset":"earliest"}}`, nil)
	ch := lines(resp.Body)
	var header struct{ QueryID string }
	if err := json.Unmarshal([]byte(nextLine(t, ch)), &header); err != nil || header.QueryID == "" {
		t.Fatalf("push header: %v %+v", err, header)
	}
	if row := nextLine(t, ch); row != `["a",1]` {
		t.Errorf("first push row %s", row)
	}
	code, out := do(t, c, http.MethodPost, ts.url+"/close-query", map[string]string{"queryId": header.QueryID}, nil)
	if code != http.StatusOK {
		t.Fatalf("/close-query: %d %s", code, out)
	}
	drain(t, ch) // the response ends
	waitPushGone(t, ts)
	code, out = do(t, c, http.MethodPost, ts.url+"/close-query", map[string]string{"queryId": header.QueryID}, nil)
	if code != http.StatusBadRequest {
		t.Errorf("/close-query of a closed query: %d %s", code, out)
	}
}
