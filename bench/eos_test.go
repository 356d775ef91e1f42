package main

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/ksqlgo/ksqlgo/runtime"
)

// eosConfig sizes the exactly-once comparison.
type eosConfig struct {
	Records    int // input records of each pipeline
	Keys       int // distinct keys of the count input
	Partitions int32
	Threads    int
}

// runExactlyOnce measures the stateless pipeline (dslTopology) and the count per key
// (countTopology, state on disk) as Apps at-least-once and with runtime.ExactlyOnce,
// alternated three times with their raw franz-go baselines (medians), and checks that the
// exactly-once count's committed output ends with every key's exact count.
func runExactlyOnce(ctx context.Context, seeds []string, cl *kgo.Client, cfg eosConfig) ([]Result, error) {
	in, countIn := "bench-eos-payments", "bench-eos-counts-in"
	if _, err := seed(ctx, cl, in, cfg.Partitions, cfg.Records); err != nil {
		return nil, err
	}
	if err := seedCounts(ctx, cl, countIn, cfg.Partitions, cfg.Records, cfg.Keys); err != nil {
		return nil, err
	}
	eos := []runtime.Opt{runtime.ExactlyOnce()}
	var raws, alos, eoss, rawCounts, alosCounts, eosCounts []time.Duration
	for i := range 3 {
		raw, err := rawPipeline(ctx, seeds, fmt.Sprintf("bench-eos-raw-%d", i), in, fmt.Sprintf("bench-eos-raw-out-%d", i), cfg.Records)
		if err != nil {
			return nil, fmt.Errorf("raw pipeline: %w", err)
		}
		a, err := statelessWith(ctx, seeds, fmt.Sprintf("bench-eos-alos-%d", i), in, fmt.Sprintf("bench-eos-alos-out-%d", i), cfg)
		if err != nil {
			return nil, fmt.Errorf("stateless at-least-once: %w", err)
		}
		e, err := statelessWith(ctx, seeds, fmt.Sprintf("bench-eos-eos-%d", i), in, fmt.Sprintf("bench-eos-eos-out-%d", i), cfg, eos...)
		if err != nil {
			return nil, fmt.Errorf("stateless exactly-once: %w", err)
		}
		group, out := fmt.Sprintf("bench-eos-rawcount-%d", i), fmt.Sprintf("bench-eos-rawcount-out-%d", i)
		changelog := group + "-counts-changelog"
		if err := createTopics(ctx, cl, cfg.Partitions, map[string]string{"cleanup.policy": "compact"}, changelog); err != nil {
			return nil, err
		}
		if err := createTopics(ctx, cl, cfg.Partitions, nil, out); err != nil {
			return nil, err
		}
		rc, err := rawCount(ctx, seeds, group, countIn, changelog, out, cfg.Records, cfg.Partitions)
		if err != nil {
			return nil, fmt.Errorf("raw count: %w", err)
		}
		ac, err := countWith(ctx, seeds, fmt.Sprintf("bench-eos-count-alos-%d", i), countIn, cfg)
		if err != nil {
			return nil, fmt.Errorf("count at-least-once: %w", err)
		}
		app := fmt.Sprintf("bench-eos-count-eos-%d", i)
		ec, err := countWith(ctx, seeds, app, countIn, cfg, eos...)
		if err != nil {
			return nil, fmt.Errorf("count exactly-once: %w", err)
		}
		if i == 0 {
			if err := checkCounts(ctx, seeds, app+"-out", cfg.Keys, int64(cfg.Records/cfg.Keys)); err != nil {
				return nil, err
			}
		}
		logRound("stateless-exactly-once", i, cfg.Records, a, e)
		logRound("count-exactly-once", i, cfg.Records, ac, ec)
		raws, alos, eoss = append(raws, raw), append(alos, a), append(eoss, e)
		rawCounts, alosCounts, eosCounts = append(rawCounts, rc), append(alosCounts, ac), append(eosCounts, ec)
	}
	results := func(name, rawName string, raw, alos, eos []time.Duration) []Result {
		r, a, e := rate(cfg.Records, median(raw)), rate(cfg.Records, median(alos)), rate(cfg.Records, median(eos))
		return []Result{
			{Name: name + "-at-least-once", RecordsPerSec: a, Baseline: rawName, BaselineRecordsPerSec: r, Ratio: a / r},
			{Name: name + "-exactly-once", RecordsPerSec: e, Baseline: rawName, BaselineRecordsPerSec: r, Ratio: e / r},
			{Name: name + "-exactly-once", RecordsPerSec: e, Baseline: name + "-at-least-once", BaselineRecordsPerSec: a, Ratio: e / a},
		}
	}
	return append(results("filter-project", "raw-franz-go-pipeline", raws, alos, eoss),
		results("count-per-key", "raw-map-count-per-partition", rawCounts, alosCounts, eosCounts)...), nil
}

// statelessWith runs dslTopology as an App with opts until cfg.Records input records are
// processed, then stops it (final commit); it returns the time from Run to Run's return.
func statelessWith(ctx context.Context, seeds []string, app, in, out string, cfg eosConfig, opts ...runtime.Opt) (time.Duration, error) {
	topo, err := dslTopology(in, out)
	if err != nil {
		return 0, err
	}
	a, err := runtime.New(topo, app, append([]runtime.Opt{runtime.Brokers(seeds...), runtime.Threads(cfg.Threads)}, opts...)...)
	if err != nil {
		return 0, err
	}
	start := time.Now()
	if err := runUntil(ctx, a, func(m runtime.Metrics) bool { return m.RecordsProcessed >= int64(cfg.Records) }, nil); err != nil {
		return 0, err
	}
	return time.Since(start), nil
}

// countWith runs countTopology (output <app>-out, state on disk) as countPipeline does,
// with opts.
func countWith(ctx context.Context, seeds []string, app, in string, cfg eosConfig, opts ...runtime.Opt) (time.Duration, error) {
	dir, err := os.MkdirTemp("", "ksqlgo-bench-state-")
	if err != nil {
		return 0, err
	}
	defer os.RemoveAll(dir)
	topo, err := countTopology(in, app+"-out")
	if err != nil {
		return 0, err
	}
	a, err := runtime.New(topo, app, append([]runtime.Opt{runtime.Brokers(seeds...), runtime.Threads(cfg.Threads),
		runtime.StateDir(dir), runtime.CreateMissingSourceTopics(cfg.Partitions)}, opts...)...)
	if err != nil {
		return 0, err
	}
	start := time.Now()
	if err := runUntil(ctx, a, func(m runtime.Metrics) bool { return m.RecordsProcessed >= int64(cfg.Records) }, nil); err != nil {
		return 0, err
	}
	return time.Since(start), nil
}

// BenchmarkExactlyOnce compares the stateless pipeline and the count per key (200k
// records, 10k keys, 4 partitions, 4 threads) at-least-once and exactly-once against their
// raw franz-go baselines, and reports the rates and ratios (eos/alos: exactly-once against
// at-least-once).
func BenchmarkExactlyOnce(b *testing.B) {
	for b.Loop() {
		res := withBroker(b, func(seeds []string, cl *kgo.Client) ([]Result, error) {
			return runExactlyOnce(context.Background(), seeds, cl, eosConfig{Records: 200_000, Keys: 10_000, Partitions: 4, Threads: 4})
		})
		for _, r := range res {
			prefix := strings.TrimSuffix(strings.TrimSuffix(r.Name, "-at-least-once"), "-exactly-once")
			unit := prefix + "-alos"
			if strings.HasSuffix(r.Name, "-exactly-once") {
				unit = prefix + "-eos"
			}
			if strings.HasSuffix(r.Baseline, "-at-least-once") {
				b.ReportMetric(r.Ratio, prefix+"-eos/alos")
				continue
			}
			b.ReportMetric(r.RecordsPerSec, unit+"-rec/s")
			b.ReportMetric(r.Ratio, unit+"-ratio")
		}
	}
}

// TestExactlyOnceSmall runs the exactly-once comparison on a small input: the exactly-once
// count must end exact; it asserts no timing.
func TestExactlyOnceSmall(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the benchmark harness")
	}
	res := withBroker(t, func(seeds []string, cl *kgo.Client) ([]Result, error) {
		return runExactlyOnce(context.Background(), seeds, cl, eosConfig{Records: 4000, Keys: 40, Partitions: 4, Threads: 2})
	})
	var sb strings.Builder
	printResults(&sb, res, true)
	for _, name := range []string{`"name":"filter-project-exactly-once"`, `"name":"count-per-key-exactly-once"`} {
		if !strings.Contains(sb.String(), name) {
			t.Errorf("no %s line in\n%s", name, sb.String())
		}
	}
	t.Log("\n" + sb.String())
}
