package server_test

import (
	"context"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/ksqlgo/ksqlgo/broker"
	"github.com/ksqlgo/ksqlgo/server"
	"github.com/ksqlgo/ksqlgo/sql/engine"
)

// TestFollow: two servers on one cluster sharing its command topic - a stream created on
// one is listed by the other once it follows the log.
func TestFollow(t *testing.T) {
	b, err := broker.New(broker.Listen("127.0.0.1:0"), broker.InMemory())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = b.Close() })
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	start := func() string {
		r := &engine.LiveRunner{Brokers: []string{b.Addr()}, StateDir: t.TempDir(), Log: slog.New(slog.DiscardHandler)}
		t.Cleanup(func() { _ = r.Close() })
		e := engine.New(r)
		e.Commands = &engine.TopicCommandLog{Runner: r, Topic: engine.CommandTopic(e.ServiceID)}
		srv, err := server.New(e, []string{b.Addr()})
		if err != nil {
			t.Fatal(err)
		}
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		done := make(chan struct{}, 2)
		go func() { _ = srv.Serve(ctx, ln); done <- struct{}{} }()
		go func() { srv.Follow(ctx, 20*time.Millisecond); done <- struct{}{} }()
		t.Cleanup(func() { cancel(); <-done; <-done })
		return "http://" + ln.Addr().String()
	}
	a, bURL := start(), start()
	if code, body := post(t, a, "/ksql", map[string]any{"ksql": "CREATE STREAM shared (k STRING KEY, v INT) WITH (KAFKA_TOPIC='shared', VALUE_FORMAT='JSON', PARTITIONS=1);"}); code != http.StatusOK {
		t.Fatalf("create on a: %d %s", code, body)
	}
	deadline := time.Now().Add(testTimeout)
	for {
		_, body := post(t, bURL, "/ksql", map[string]any{"ksql": "SHOW STREAMS;"})
		if strings.Contains(string(body), `"SHARED"`) {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("server b never listed SHARED: %s", body)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
