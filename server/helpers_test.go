package server_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ksqlgo/ksqlgo/broker"
	"github.com/ksqlgo/ksqlgo/server"
	"github.com/ksqlgo/ksqlgo/sql/engine"
)

// testTimeout bounds every wait of these tests.
const testTimeout = 60 * time.Second

// testServer is a server on 127.0.0.1 over an engine whose queries run on a fresh
// in-memory embedded broker.
type testServer struct {
	url    string
	srv    *server.Server
	eng    *engine.Engine
	runner *engine.LiveRunner
	broker string
	log    *lockedWriter
	// stop shuts the server down (Serve returns) and returns Serve's error; idempotent.
	stop func() error
}

// logs returns what the server logged so far.
func (ts *testServer) logs() string {
	ts.log.mu.Lock()
	defer ts.log.mu.Unlock()
	return ts.log.w.(*bytes.Buffer).String()
}

func newTestServer(t *testing.T, opts ...server.Opt) *testServer {
	t.Helper()
	b, err := broker.New(broker.Listen("127.0.0.1:0"), broker.InMemory())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = b.Close() })
	r := &engine.LiveRunner{Brokers: []string{b.Addr()}, StateDir: t.TempDir(), Log: slog.New(slog.DiscardHandler)}
	t.Cleanup(func() { _ = r.Close() })
	e := engine.New(r)
	e.Now = func() int64 { return time.Now().UnixMilli() }
	lw := &lockedWriter{w: &bytes.Buffer{}}
	opts = append([]server.Opt{server.Logger(slog.New(slog.NewTextHandler(lw, nil)))}, opts...)
	srv, err := server.New(e, []string{b.Addr()}, opts...)
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ctx, ln) }()
	stop := sync.OnceValue(func() error {
		cancel()
		select {
		case err := <-done:
			return err
		case <-time.After(testTimeout):
			return errors.New("Serve did not return after cancel")
		}
	})
	t.Cleanup(func() {
		if err := stop(); err != nil {
			t.Errorf("Serve: %v", err)
		}
	})
	return &testServer{url: "http://" + ln.Addr().String(), srv: srv, eng: e, runner: r, broker: b.Addr(), log: lw, stop: stop}
}

// lockedWriter serialises writes to w (the server logs from many goroutines).
type lockedWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

// post sends body as JSON to path and returns the status and the response body.
func post(t *testing.T, url, path string, body any) (int, []byte) {
	t.Helper()
	return do(t, http.DefaultClient, http.MethodPost, url+path, body, nil)
}

func do(t *testing.T, c *http.Client, method, url string, body any, hdr http.Header) (int, []byte) {
	t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(b)
	default:
		js, err := json.Marshal(b)
		if err != nil {
			t.Fatal(err)
		}
		rd = bytes.NewReader(js)
	}
	ctx, cancel := context.WithTimeout(t.Context(), testTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, method, url, rd)
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range hdr {
		req.Header[k] = v
	}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, url, err)
	}
	defer resp.Body.Close()
	out, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("%s %s: read body: %v", method, url, err)
	}
	return resp.StatusCode, out
}

// ksql posts statements to /ksql, requires 200, and returns the entities.
func (ts *testServer) ksql(t *testing.T, stmts string) []map[string]any {
	t.Helper()
	code, body := post(t, ts.url, "/ksql", map[string]any{"ksql": stmts, "streamsProperties": map[string]any{}})
	if code != http.StatusOK {
		t.Fatalf("/ksql %q: %d %s", stmts, code, body)
	}
	var out []map[string]any
	if err := json.Unmarshal(body, &out); err != nil {
		t.Fatalf("/ksql %q: %v in %s", stmts, err, body)
	}
	return out
}

// lines reads a streaming response line by line into a channel until it ends.
func lines(body io.Reader) <-chan string {
	ch := make(chan string, 100)
	go func() {
		defer close(ch)
		sc := bufio.NewScanner(body)
		sc.Buffer(make([]byte, 1<<20), 1<<20)
		for sc.Scan() {
			ch <- sc.Text()
		}
	}()
	return ch
}

func nextLine(t *testing.T, ch <-chan string) string {
	t.Helper()
	select {
	case l, ok := <-ch:
		if !ok {
			t.Fatal("response ended early")
		}
		return l
	case <-time.After(testTimeout):
		t.Fatal("no line within the timeout")
	}
	return ""
}

// waitFor polls cond until it holds, failing after the timeout.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(testTimeout)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(50 * time.Millisecond) // polling a running query's progress
	}
}

// elements decodes a streamed JSON array (/query) element by element into a channel
// until it ends.
func elements(body io.Reader) <-chan string {
	ch := make(chan string, 100)
	go func() {
		defer close(ch)
		d := json.NewDecoder(body)
		if tok, err := d.Token(); err != nil || tok != json.Delim('[') {
			return
		}
		for d.More() {
			var raw json.RawMessage
			if err := d.Decode(&raw); err != nil {
				return
			}
			ch <- string(raw)
		}
	}()
	return ch
}

// drain reads ch until it closes (the response ended), failing after the timeout.
func drain(t *testing.T, ch <-chan string) []string {
	t.Helper()
	var out []string
	timeout := time.After(testTimeout)
	for {
		select {
		case l, ok := <-ch:
			if !ok {
				return out
			}
			out = append(out, l)
		case <-timeout:
			t.Fatalf("the response did not end within %v; read %q", testTimeout, out)
		}
	}
}
