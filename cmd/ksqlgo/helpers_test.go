package main

import (
	"bytes"
	"context"
	"os"
	"strings"
	"sync"
	"testing"
	"time"
)

// testTimeout bounds every wait in these tests; nothing sleeps a fixed time.
const testTimeout = 30 * time.Second

// inTempDir runs the test in a fresh working directory with no KSQLGO_*
// variables from the outer environment. Tests using it cannot be parallel.
func inTempDir(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	t.Chdir(dir)
	for _, s := range settings {
		t.Setenv(envPrefix+"_"+strings.ToUpper(strings.ReplaceAll(s.key, ".", "_")), "")
	}
	return dir
}

func writeFile(t *testing.T, name, content string) {
	t.Helper()
	if err := os.WriteFile(name, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

// runCmd runs ksqlgo with args to completion and returns its stdout.
func runCmd(t *testing.T, args ...string) (string, error) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	ctx, cancel := context.WithTimeout(t.Context(), testTimeout)
	defer cancel()
	err := run(ctx, args, strings.NewReader(""), &stdout, &stderr)
	return stdout.String(), err
}

// serving is a ksqlgo command running in the background until stop.
type serving struct {
	out    *lineWriter
	cancel context.CancelFunc
	done   chan error
}

// serve starts ksqlgo with args in a goroutine; the test's cleanup stops it.
func serve(t *testing.T, args ...string) *serving {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	s := &serving{out: newLineWriter(), cancel: cancel, done: make(chan error, 1)}
	var stderr lineWriter
	go func() { s.done <- run(ctx, args, strings.NewReader(""), s.out, &stderr) }()
	t.Cleanup(func() { s.stop(t) })
	return s
}

// stop cancels the command and returns its error, waiting for it to return.
func (s *serving) stop(t *testing.T) error {
	t.Helper()
	s.cancel()
	select {
	case err := <-s.done:
		s.done <- err // for a later stop
		return err
	case <-time.After(testTimeout):
		t.Fatalf("command did not stop within %v of cancel", testTimeout)
		return nil
	}
}

// waitLine waits for an output line starting with prefix and returns it,
// failing if the command ends or the timeout passes first.
func (s *serving) waitLine(t *testing.T, prefix string) string {
	t.Helper()
	deadline := time.After(testTimeout)
	for {
		changed := s.out.changed() // before find, so no write is missed
		if l, ok := s.out.find(prefix); ok {
			return l
		}
		select {
		case <-changed:
		case err := <-s.done:
			s.done <- err
			if l, ok := s.out.find(prefix); ok {
				return l
			}
			t.Fatalf("command ended (%v) without printing %q; output:\n%s", err, prefix, s.out.String())
		case <-deadline:
			t.Fatalf("no line %q within %v; output:\n%s", prefix, testTimeout, s.out.String())
		}
	}
}

// lineWriter is an io.Writer safe for concurrent use that signals writes.
type lineWriter struct {
	mu   sync.Mutex
	buf  bytes.Buffer
	wake chan struct{}
}

func newLineWriter() *lineWriter { return &lineWriter{wake: make(chan struct{})} }

func (w *lineWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.wake != nil {
		close(w.wake)
		w.wake = make(chan struct{})
	}
	return w.buf.Write(p)
}

func (w *lineWriter) changed() <-chan struct{} {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.wake
}

func (w *lineWriter) String() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.buf.String()
}

func (w *lineWriter) find(prefix string) (string, bool) {
	for l := range strings.Lines(w.String()) {
		if strings.HasPrefix(l, prefix) && strings.HasSuffix(l, "\n") {
			return strings.TrimSuffix(l, "\n"), true
		}
	}
	return "", false
}
