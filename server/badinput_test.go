package server_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/ksqlgo/ksqlgo/server"
)

// TestBadInput: malformed bodies, unknown paths, wrong methods and huge bodies are
// answered with ksqlDB-style errors, and the server keeps serving.
func TestBadInput(t *testing.T) {
	ts := newTestServer(t, server.MaxBodyBytes(1024))
	for _, tc := range []struct {
		name, method, path string
		body               any
		code               int
		msg                string
	}{
		{"malformed JSON", http.MethodPost, "/ksql", `{"ksql": "SHOW STREAMS;"`, 400, "Invalid JSON"},
		{"not an object", http.MethodPost, "/ksql", `[1,2]`, 400, "Invalid JSON"},
		{"empty body", http.MethodPost, "/query", ``, 400, "empty body"},
		{"trailing data", http.MethodPost, "/query-stream", `{"sql":"SELECT 1;"} {}`, 400, "Invalid JSON"},
		{"no statement", http.MethodPost, "/ksql", `{"ksql":"  "}`, 400, "no statement"},
		{"unknown path", http.MethodGet, "/nope", nil, 404, "Path not found: /nope"},
		{"wrong method", http.MethodGet, "/ksql", nil, 405, "use POST"},
		{"wrong method on info", http.MethodPost, "/info", `{}`, 405, "use GET"},
		{"huge body", http.MethodPost, "/ksql", `{"ksql":"` + strings.Repeat("x", 4096) + `"}`, 413, "larger than 1024 bytes"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, body := do(t, http.DefaultClient, tc.method, ts.url+tc.path, tc.body, nil)
			var e map[string]any
			if err := json.Unmarshal(body, &e); err != nil {
				t.Fatalf("%v: %s", err, body)
			}
			if code != tc.code || e["@type"] != "generic_error" || !strings.Contains(e["message"].(string), tc.msg) {
				t.Errorf("got %d %s; want %d with %q", code, body, tc.code, tc.msg)
			}
		})
	}
	code, body := do(t, http.DefaultClient, http.MethodGet, ts.url+"/info", nil, nil)
	var info struct{ KsqlServerInfo map[string]string }
	if err := json.Unmarshal(body, &info); code != 200 || err != nil || info.KsqlServerInfo["serverStatus"] != "RUNNING" || info.KsqlServerInfo["ksqlServiceId"] != "default_" {
		t.Errorf("/info after bad input: %d %s", code, body)
	}
	code, body = do(t, http.DefaultClient, http.MethodGet, ts.url+"/healthcheck", nil, nil)
	if code != 200 || string(body) != `{"details":{"kafka":{"isHealthy":true},"metastore":{"isHealthy":true}},"isHealthy":true}`+"\n" {
		t.Errorf("/healthcheck: %d %s", code, body)
	}
}
