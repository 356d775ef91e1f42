package main

import (
	"context"
	"strings"
	"testing"

	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/ksqlgo/ksqlgo/broker"
)

// withBroker runs fn against a fresh in-memory embedded broker.
func withBroker(tb testing.TB, fn func(seeds []string, cl *kgo.Client) ([]Result, error)) []Result {
	tb.Helper()
	b, err := broker.New(broker.Listen("127.0.0.1:0"), broker.InMemory())
	if err != nil {
		tb.Fatal(err)
	}
	defer b.Close()
	cl, err := kgo.NewClient(kgo.SeedBrokers(b.Addr()), kgo.ProducerBatchMaxBytes(1<<20))
	if err != nil {
		tb.Fatal(err)
	}
	defer cl.Close()
	res, err := fn([]string{b.Addr()}, cl)
	if err != nil {
		tb.Fatal(err)
	}
	return res
}

func reportResults(b *testing.B, res []Result) {
	for _, r := range res {
		switch {
		case strings.HasPrefix(r.Name, "sql-") && r.Baseline != "" && !strings.HasPrefix(r.Baseline, "raw"):
			b.ReportMetric(r.Ratio, "sql/dsl")
		case strings.HasPrefix(r.Name, "sql-") && r.Baseline != "":
			b.ReportMetric(r.RecordsPerSec, "sql-rec/s")
			b.ReportMetric(r.Ratio, "sql-ratio")
		case r.Baseline != "":
			b.ReportMetric(r.RecordsPerSec, "rec/s")
			b.ReportMetric(r.BaselineRecordsPerSec, "baseline-rec/s")
			b.ReportMetric(r.Ratio, "ratio")
		case strings.HasSuffix(r.Name, "-heap"):
			b.ReportMetric(r.MiB, "heap-MiB")
		case strings.HasSuffix(r.Name, "-rss"):
			b.ReportMetric(r.MiB, "rss-MiB")
		}
	}
}

// BenchmarkStatefulCount counts 1M records over 10k keys (4 partitions, 4 threads, state on
// disk) with the runtime API and as the SQL query `SELECT k, COUNT(*) ... GROUP BY k`
// against the raw franz-go map-counting loop on the same broker, and reports the rates,
// the ratios (sql/dsl: SQL against the runtime-API count) and the memory of an application
// holding the counts.
func BenchmarkStatefulCount(b *testing.B) {
	for b.Loop() {
		reportResults(b, withBroker(b, func(seeds []string, cl *kgo.Client) ([]Result, error) {
			return runCount(context.Background(), seeds, cl, statefulConfig{Records: 1_000_000, Keys: 10_000, Partitions: 4, Threads: 4})
		}))
	}
}

// BenchmarkStatefulRestore restores a 1M-key store partition from its changelog through
// the App (Run until RecordsRestored) against a plain consumer reading the changelog, and
// reports both rates, the ratio and the memory of an application holding the 1M keys.
func BenchmarkStatefulRestore(b *testing.B) {
	for b.Loop() {
		reportResults(b, withBroker(b, func(seeds []string, cl *kgo.Client) ([]Result, error) {
			return runRestore(context.Background(), seeds, cl, 1_000_000)
		}))
	}
}

// TestStatefulSmall runs the stateful benchmarks on a small input: both count pipelines
// must agree on every key's count and the restore must restore every record; it asserts no
// timing.
func TestStatefulSmall(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the benchmark harness")
	}
	res := withBroker(t, func(seeds []string, cl *kgo.Client) ([]Result, error) {
		return runStateful(context.Background(), seeds, cl, statefulConfig{Records: 4000, Keys: 40, RestoreKeys: 3000, Partitions: 4, Threads: 2})
	})
	var sb strings.Builder
	printResults(&sb, res, true)
	for _, name := range []string{`"name":"count-per-key"`, `"name":"restore-3k-keys"`, `"name":"mem-count-40-keys-heap"`, `"name":"mem-restore-3k-keys-rss"`} {
		if !strings.Contains(sb.String(), name) {
			t.Errorf("no %s line in\n%s", name, sb.String())
		}
	}
	t.Log("\n" + sb.String())
}
