package main

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
)

// TestServerCommand: ksqlgo server starts the embedded broker, answers /info and runs
// statements on /ksql, and stops cleanly when cancelled; restarted, it gets its streams
// and queries back from the command topic.
func TestServerCommand(t *testing.T) {
	inTempDir(t)
	s := serve(t, "server", "--listeners", "http://127.0.0.1:0", "--broker.listen", "127.0.0.1:0", "--log.level", "error")
	s.waitLine(t, "broker listening on ")
	url := "http://" + strings.TrimPrefix(s.waitLine(t, "ksqlDB REST API listening on "), "ksqlDB REST API listening on http://")

	resp, err := http.Get(url + "/info")
	if err != nil {
		t.Fatal(err)
	}
	var info struct{ KsqlServerInfo map[string]string }
	err = json.NewDecoder(resp.Body).Decode(&info)
	resp.Body.Close()
	if err != nil || resp.StatusCode != 200 || info.KsqlServerInfo["serverStatus"] != "RUNNING" || info.KsqlServerInfo["version"] != versionString() {
		t.Fatalf("/info: %d %+v %v", resp.StatusCode, info, err)
	}

	resp, err = http.Post(url+"/ksql", "application/json", strings.NewReader(
		`{"ksql":"CREATE STREAM s (id INT) WITH (KAFKA_TOPIC='s', VALUE_FORMAT='JSON', PARTITIONS=1); CREATE STREAM t AS SELECT * FROM s;"}`))
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || strings.Count(string(body), `"currentStatus"`) != 2 {
		t.Fatalf("/ksql: %d %s", resp.StatusCode, body)
	}
	if err := s.stop(t); err != nil {
		t.Fatalf("server returned %v after cancel, want nil", err)
	}
	if _, err := http.Get(url + "/info"); err == nil {
		t.Error("the server still answers after stopping")
	}

	// Restarted on the same data directory, it replays its command topic.
	s = serve(t, "server", "--listeners", "http://127.0.0.1:0", "--broker.listen", "127.0.0.1:0", "--log.level", "error")
	s.waitLine(t, "restored 2 statements from the command topic")
	url = "http://" + strings.TrimPrefix(s.waitLine(t, "ksqlDB REST API listening on "), "ksqlDB REST API listening on http://")
	resp, err = http.Post(url+"/ksql", "application/json", strings.NewReader(`{"ksql":"SHOW QUERIES;"}`))
	if err != nil {
		t.Fatal(err)
	}
	body, _ = io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(string(body), `"CSAS_T_0"`) {
		t.Fatalf("SHOW QUERIES after restart: %d %s", resp.StatusCode, body)
	}
}

func TestServerBadListener(t *testing.T) {
	inTempDir(t)
	for _, l := range []string{"127.0.0.1:8088", "https://127.0.0.1:8088", "http://127.0.0.1"} {
		if _, err := runCmd(t, "server", "--listeners", l); err == nil || !strings.Contains(err.Error(), "listeners") {
			t.Errorf("--listeners %s: %v, want an error naming listeners", l, err)
		}
	}
}
