package server

import (
	"bytes"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/ksqlgo/ksqlgo/sql/engine"
)

// TestHandlerPanic: a panicking handler is answered with 500 and logged, and the
// server goes on serving.
func TestHandlerPanic(t *testing.T) {
	logs := &syncBuffer{}
	s, err := New(engine.New(nil), []string{"127.0.0.1:1"}, Logger(slog.New(slog.NewTextHandler(logs, nil))))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	s.table["/boom"] = route{http.MethodGet, func(http.ResponseWriter, *http.Request) { panic("kaboom") }}
	hs := httptest.NewServer(s.Handler())
	defer hs.Close()
	for range 2 {
		resp, err := http.Get(hs.URL + "/boom")
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 500 || !strings.Contains(string(body), `"error_code":50000`) || !strings.Contains(string(body), "kaboom") {
			t.Errorf("got %d %s", resp.StatusCode, body)
		}
	}
	if !strings.Contains(logs.String(), "handler panicked") || !strings.Contains(logs.String(), "kaboom") {
		t.Errorf("panic not logged: %s", logs.String())
	}
	resp, err := http.Get(hs.URL + "/info")
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("/info after a panic: %v %v", resp, err)
	}
	resp.Body.Close()
}

// syncBuffer is a bytes.Buffer safe for concurrent use.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
