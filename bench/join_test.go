package main

import (
	"context"
	"strings"
	"testing"

	"github.com/twmb/franz-go/pkg/kgo"
)

// BenchmarkStreamTableJoin enriches 1M payments with one of 500 merchants (4 partitions,
// 4 threads, state on disk) as the SQL stream-table join against the raw franz-go
// map-lookup loop on the same broker, and reports both rates and the ratio.
func BenchmarkStreamTableJoin(b *testing.B) {
	for b.Loop() {
		reportResults(b, withBroker(b, func(seeds []string, cl *kgo.Client) ([]Result, error) {
			return runJoin(context.Background(), seeds, cl, joinConfig{Records: 1_000_000, Merchants: 500, Partitions: 4, Threads: 4})
		}))
	}
}

// TestJoinSmall runs the join benchmark on a small input: both pipelines must write one
// enriched record per payment; it asserts no timing.
func TestJoinSmall(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the benchmark harness")
	}
	res := withBroker(t, func(seeds []string, cl *kgo.Client) ([]Result, error) {
		return runJoin(context.Background(), seeds, cl, joinConfig{Records: 3000, Merchants: 50, Partitions: 4, Threads: 2})
	})
	var sb strings.Builder
	printResults(&sb, res, true)
	if !strings.Contains(sb.String(), `"name":"sql-stream-table-join"`) {
		t.Errorf("no join line in\n%s", sb.String())
	}
	t.Log("\n" + sb.String())
}
