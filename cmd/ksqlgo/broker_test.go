package main

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/ksqlgo/ksqlgo/broker"
)

// brokerAddr parses "broker listening on ADDR, data in DIR".
func brokerAddr(t *testing.T, line string) (addr, dir string) {
	t.Helper()
	rest, ok := strings.CutPrefix(line, "broker listening on ")
	addr, dir, ok2 := strings.Cut(rest, ", data in ")
	if !ok || !ok2 {
		t.Fatalf("unexpected broker line %q", line)
	}
	return addr, dir
}

// TestBrokerCommand: ksqlgo broker serves Kafka clients until its context
// is cancelled, then stops cleanly.
func TestBrokerCommand(t *testing.T) {
	dir := inTempDir(t)
	s := serve(t, "broker", "--broker.listen", "127.0.0.1:0", "--broker.partitions", "2", "--log.level", "error")
	addr, dataDir := brokerAddr(t, s.waitLine(t, "broker listening on "))
	if want := filepath.Join(dir, "ksqlgo-data", "broker"); dataDir != want {
		t.Errorf("data in %s, want %s", dataDir, want)
	}

	ctx, cancel := context.WithTimeout(t.Context(), testTimeout)
	defer cancel()
	cl, err := kgo.NewClient(kgo.SeedBrokers(addr), kgo.AllowAutoTopicCreation(),
		kgo.ConsumeTopics("greetings"), kgo.ConsumeResetOffset(kgo.NewOffset().AtStart()))
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close()
	if err := cl.ProduceSync(ctx, &kgo.Record{Topic: "greetings", Value: []byte("hello")}).FirstErr(); err != nil {
		t.Fatalf("produce: %v", err)
	}
	var got []string
	for len(got) == 0 {
		fs := cl.PollFetches(ctx)
		if ctx.Err() != nil {
			t.Fatalf("consume: %v", ctx.Err())
		}
		fs.EachRecord(func(r *kgo.Record) { got = append(got, string(r.Value)) })
	}
	if got[0] != "hello" {
		t.Fatalf("consumed %q, want hello", got)
	}
	if err := s.stop(t); err != nil {
		t.Fatalf("broker command returned %v after cancel, want nil", err)
	}

	// The data survived and the dir is free again.
	b, err := broker.New(broker.Listen("127.0.0.1:0"), broker.DataDir(dataDir))
	if err != nil {
		t.Fatalf("reopen data dir after shutdown: %v", err)
	}
	b.Close()
}

func TestBrokerCommandLocked(t *testing.T) {
	inTempDir(t)
	first := serve(t, "broker", "--broker.listen", "127.0.0.1:0", "--log.level", "error")
	_, dataDir := brokerAddr(t, first.waitLine(t, "broker listening on "))

	ctx, cancel := context.WithTimeout(t.Context(), testTimeout)
	defer cancel()
	var out lineWriter
	err := run(ctx, []string{"broker", "--broker.listen", "127.0.0.1:0"}, strings.NewReader(""), &out, &out)
	if !errors.Is(err, broker.ErrDataDirLocked) || !strings.Contains(err.Error(), dataDir) {
		t.Fatalf("second ksqlgo broker on %s: %v, want ErrDataDirLocked naming the dir", dataDir, err)
	}
}

// TestDefaultCommand: ksqlgo with no command starts the embedded broker, or
// says it would use bootstrap.servers, and waits until interrupted.
func TestDefaultCommand(t *testing.T) {
	t.Run("embedded", func(t *testing.T) {
		inTempDir(t)
		s := serve(t, "--broker.listen", "127.0.0.1:0", "--log.level", "error")
		brokerAddr(t, s.waitLine(t, "broker listening on "))
		s.waitLine(t, "ksqlgo SQL prompt")
		select {
		case err := <-s.done:
			t.Fatalf("ksqlgo returned %v before being interrupted", err)
		default:
		}
		if err := s.stop(t); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("bootstrap servers", func(t *testing.T) {
		inTempDir(t)
		b, err := broker.New(broker.Listen("127.0.0.1:0"), broker.InMemory())
		if err != nil {
			t.Fatal(err)
		}
		defer b.Close()
		t.Setenv("KSQLGO_BOOTSTRAP_SERVERS", b.Addr())
		s := serve(t)
		s.waitLine(t, "using the Kafka cluster at "+b.Addr())
		s.waitLine(t, "ksqlgo SQL prompt")
		if strings.Contains(s.out.String(), "broker listening") {
			t.Fatal("started the embedded broker although bootstrap.servers is set")
		}
		if err := s.stop(t); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("unreachable bootstrap servers", func(t *testing.T) {
		inTempDir(t)
		_, err := runCmd(t, "--bootstrap.servers", "127.0.0.1:1", "--connect.timeout", "600ms")
		if err == nil || !strings.Contains(err.Error(), "cannot reach Kafka at 127.0.0.1:1 after 600ms") {
			t.Fatalf("want a clear error after the connect timeout, got %v", err)
		}
	})
}
