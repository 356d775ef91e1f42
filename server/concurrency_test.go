package server_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
)

// TestConcurrentPushQueries: several push queries stream at once while statements run
// on /ksql, and each gets its rows.
func TestConcurrentPushQueries(t *testing.T) {
	ts := newTestServer(t)
	ts.ksql(t, `CREATE STREAM s (k STRING KEY, v BIGINT) WITH (KAFKA_TOPIC='s', VALUE_FORMAT='JSON', PARTITIONS=1);`)
	const n = 4
	chans := make([]<-chan string, n)
	for i := range n {
		resp := stream(t, http.DefaultClient, ts.url+"/query", fmt.Sprintf(`{"ksql":"SELECT v + %d AS w FROM s WHERE v >= 0 EMIT CHANGES LIMIT 2;"}`, i), nil)
		chans[i] = elements(resp.Body)
		nextLine(t, chans[i]) // header: the query runs
	}
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			code, body := post(t, ts.url, "/ksql", map[string]any{"ksql": fmt.Sprintf("INSERT INTO s (k, v) VALUES ('k%d', %d); SHOW QUERIES;", i, i)})
			if code != http.StatusOK {
				t.Errorf("/ksql while push queries run: %d %s", code, body)
			}
		})
	}
	wg.Wait()
	for i, ch := range chans {
		got := drain(t, ch)
		// The two first rows end each query (the inserts ran concurrently, so which
		// ones is not fixed).
		if len(got) != 3 || got[2] != `{"finalMessage":"Limit Reached"}` || !strings.HasPrefix(got[0], `{"row":`) {
			t.Errorf("push query %d: %q", i, got)
		}
	}
	waitPushGone(t, ts)
}

// TestShutdownEndsPushQueries: stopping the server ends a running push query's response
// and stops its transient query; Serve returns nil.
func TestShutdownEndsPushQueries(t *testing.T) {
	ts := newTestServer(t)
	ts.ksql(t, `CREATE STREAM s (k STRING KEY, v BIGINT) WITH (KAFKA_TOPIC='s', VALUE_FORMAT='JSON', PARTITIONS=1);`)
	resp := stream(t, http.DefaultClient, ts.url+"/query", `{"ksql":"SELECT * FROM s EMIT CHANGES;"}`, nil)
	ch := elements(resp.Body)
	nextLine(t, ch)
	// TERMINATE on /ksql ends a push query too.
	resp2 := stream(t, http.DefaultClient, ts.url+"/query", `{"ksql":"SELECT * FROM s EMIT CHANGES;"}`, nil)
	ch2 := elements(resp2.Body)
	var header struct{ Header struct{ QueryID string } }
	if err := json.Unmarshal([]byte(nextLine(t, ch2)), &header); err != nil {
		t.Fatal(err)
	}
	if got := ts.ksql(t, "TERMINATE "+header.Header.QueryID+";"); len(got) != 1 || got[0]["@type"] != "currentStatus" {
		t.Errorf("TERMINATE %s: %v", header.Header.QueryID, got)
	}
	drain(t, ch2)
	if n := countPush(t, ts); n != 1 {
		t.Errorf("%d push queries after TERMINATE of one of two", n)
	}
	if err := ts.stop(); err != nil {
		t.Fatalf("Serve: %v", err)
	}
	drain(t, ch) // the response ends
	for i := range 10 {
		if _, ok := ts.runner.Metrics(fmt.Sprintf("transient_%d", i)); ok {
			t.Errorf("transient_%d still runs after shutdown", i)
		}
	}
}
