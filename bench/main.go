package main

import (
	"bufio"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"runtime/pprof"
	"slices"
	"strings"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/ksqlgo/ksqlgo/broker"
)

// Result is one benchmark line.
type Result struct {
	Name                  string  `json:"name"`
	RecordsPerSec         float64 `json:"records_per_sec"`
	Baseline              string  `json:"baseline,omitempty"`
	BaselineRecordsPerSec float64 `json:"baseline_records_per_sec,omitempty"`
	Ratio                 float64 `json:"ratio,omitempty"`
	Millis                float64 `json:"ms,omitempty"`  // for timings that are not rates
	MiB                   float64 `json:"mib,omitempty"` // for memory in use, in MiB (stateful.go)
}

// Config sizes a run.
type Config struct {
	Records    int
	Partitions int32
	Threads    int
}

func main() {
	if os.Getenv(childEnv) != "" {
		runChild()
	}
	asJSON := flag.Bool("json", false, "print one JSON object per line")
	records := flag.Int("records", 1_000_000, "input records")
	threads := flag.Int("threads", 4, "stream threads of the ksqlgo app")
	cpuprofile := flag.String("cpuprofile", "", "write a CPU profile of the whole run to this file")
	verbose := flag.Bool("v", false, "print every round of the alternated benchmarks to stderr")
	flag.Parse()
	if *verbose {
		rounds = os.Stderr
	}
	if *cpuprofile != "" {
		f, err := os.Create(*cpuprofile)
		if err != nil {
			fmt.Fprintln(os.Stderr, "bench:", err)
			os.Exit(1)
		}
		_ = pprof.StartCPUProfile(f)
		defer pprof.StopCPUProfile()
	}
	res, err := Run(context.Background(), Config{Records: *records, Partitions: 4, Threads: *threads})
	if err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		pprof.StopCPUProfile()
		os.Exit(1)
	}
	printResults(os.Stdout, res, *asJSON)
}

func printResults(w io.Writer, res []Result, asJSON bool) {
	if asJSON {
		enc := json.NewEncoder(w)
		for _, r := range res {
			_ = enc.Encode(r)
		}
		return
	}
	fmt.Fprintf(w, "%-28s %14s   %-28s %14s %7s\n", "benchmark", "records/s", "baseline", "records/s", "ratio")
	for _, r := range res {
		if r.Millis > 0 {
			fmt.Fprintf(w, "%-28s %11.1f ms\n", r.Name, r.Millis)
			continue
		}
		if r.MiB > 0 {
			fmt.Fprintf(w, "%-28s %10.1f MiB\n", r.Name, r.MiB)
			continue
		}
		if r.Baseline == "" {
			fmt.Fprintf(w, "%-28s %14.0f\n", r.Name, r.RecordsPerSec)
			continue
		}
		fmt.Fprintf(w, "%-28s %14.0f   %-28s %14.0f %7.2f\n", r.Name, r.RecordsPerSec, r.Baseline, r.BaselineRecordsPerSec, r.Ratio)
	}
}

func rate(n int, d time.Duration) float64 { return float64(n) / d.Seconds() }

// rounds receives one line per round of the alternated benchmarks (-v).
var rounds io.Writer = io.Discard

// logRound prints one round of an alternated benchmark to rounds.
func logRound(name string, i, n int, baseline, d time.Duration) {
	r, a := rate(n, baseline), rate(n, d)
	fmt.Fprintf(rounds, "%s round %d: %.0f rec/s, baseline %.0f rec/s, ratio %.2f\n", name, i, a, r, a/r)
}

func median(ds []time.Duration) time.Duration {
	s := slices.Clone(ds)
	slices.Sort(s)
	return s[len(s)/2]
}

// Run starts an in-memory embedded broker, seeds it and runs every benchmark once.
func Run(ctx context.Context, cfg Config) ([]Result, error) {
	var res []Result
	t0 := time.Now()
	b, err := broker.New(broker.Listen("127.0.0.1:0"), broker.InMemory())
	if err != nil {
		return nil, err
	}
	defer b.Close()
	res = append(res, Result{Name: "broker-ready", Millis: float64(time.Since(t0).Microseconds()) / 1000})
	ms, err := childStartup(ctx)
	if err != nil {
		return nil, fmt.Errorf("startup: %w", err)
	}
	res = append(res, Result{Name: "process-start-to-broker-ready", Millis: ms})
	seeds := []string{b.Addr()}
	cl, err := kgo.NewClient(kgo.SeedBrokers(seeds...), kgo.ProducerBatchMaxBytes(1<<20))
	if err != nil {
		return nil, err
	}
	defer cl.Close()
	in := "bench-payments"
	t1 := time.Now()
	size, err := seed(ctx, cl, in, cfg.Partitions, cfg.Records)
	if err != nil {
		return nil, err
	}
	res = append(res, Result{Name: fmt.Sprintf("produce (%d B/record)", size/cfg.Records), RecordsPerSec: rate(cfg.Records, time.Since(t1))})

	consume, err := rawConsume(ctx, seeds, in, cfg.Records, false)
	if err != nil {
		return nil, fmt.Errorf("consume baseline: %w", err)
	}
	res = append(res, Result{Name: "raw-consume", RecordsPerSec: rate(cfg.Records, consume)})
	decode, err := rawConsume(ctx, seeds, in, cfg.Records, true)
	if err != nil {
		return nil, fmt.Errorf("decode baseline: %w", err)
	}
	res = append(res, Result{Name: "raw-consume-decode", RecordsPerSec: rate(cfg.Records, decode)})

	// Alternate the three pipelines (raw franz-go, Go DSL, SQL) three times and take the
	// median of each, so that none always runs on a warmer (or more loaded) broker.
	var raws, dsls, sqls []time.Duration
	for i := range 3 {
		raw, err := rawPipeline(ctx, seeds, fmt.Sprintf("bench-raw-%d", i), in, fmt.Sprintf("bench-alerts-raw-%d", i), cfg.Records)
		if err != nil {
			return nil, fmt.Errorf("raw pipeline: %w", err)
		}
		d, err := dslPipeline(ctx, seeds, fmt.Sprintf("bench-dsl-%d", i), in, fmt.Sprintf("bench-alerts-dsl-%d", i), cfg.Records, cfg.Threads)
		if err != nil {
			return nil, fmt.Errorf("dsl pipeline: %w", err)
		}
		// Both pipelines must have written the same alerts.
		nRaw, err := countTopic(ctx, cl, fmt.Sprintf("bench-alerts-raw-%d", i))
		if err != nil {
			return nil, err
		}
		nDSL, err := countTopic(ctx, cl, fmt.Sprintf("bench-alerts-dsl-%d", i))
		if err != nil {
			return nil, err
		}
		sq, err := sqlPipeline(ctx, seeds, i, in, fmt.Sprintf("bench-alerts-sql-%d", i), cfg.Records, cfg.Threads)
		if err != nil {
			return nil, fmt.Errorf("sql pipeline: %w", err)
		}
		nSQL, err := countTopic(ctx, cl, fmt.Sprintf("bench-alerts-sql-%d", i))
		if err != nil {
			return nil, err
		}
		if nRaw != nDSL || nRaw != nSQL || nRaw == 0 {
			return nil, fmt.Errorf("pipelines disagree: raw wrote %d alerts, dsl %d, sql %d", nRaw, nDSL, nSQL)
		}
		logRound("dsl-filter-project", i, cfg.Records, raw, d)
		logRound("sql-filter-project", i, cfg.Records, raw, sq)
		raws, dsls, sqls = append(raws, raw), append(dsls, d), append(sqls, sq)
	}
	raw, dslDur, sqlDur := median(raws), median(dsls), median(sqls)
	r, d, sq := rate(cfg.Records, raw), rate(cfg.Records, dslDur), rate(cfg.Records, sqlDur)
	res = append(res, Result{Name: "dsl-filter-project", RecordsPerSec: d,
		Baseline: "raw-goroutine-per-partition", BaselineRecordsPerSec: r, Ratio: d / r},
		Result{Name: "sql-filter-project", RecordsPerSec: sq,
			Baseline: "raw-goroutine-per-partition", BaselineRecordsPerSec: r, Ratio: sq / r},
		Result{Name: "sql-filter-project", RecordsPerSec: sq,
			Baseline: "dsl-filter-project", BaselineRecordsPerSec: d, Ratio: sq / d})

	st, err := runStateful(ctx, seeds, cl, statefulConfig{Records: cfg.Records, Keys: max(1, min(10_000, cfg.Records/100)),
		RestoreKeys: cfg.Records, Partitions: cfg.Partitions, Threads: cfg.Threads})
	if err != nil {
		return nil, fmt.Errorf("stateful: %w", err)
	}
	res = append(res, st...)
	jr, err := runJoin(ctx, seeds, cl, joinConfig{Records: cfg.Records, Merchants: 500, Partitions: cfg.Partitions, Threads: cfg.Threads})
	if err != nil {
		return nil, fmt.Errorf("join: %w", err)
	}
	return append(res, jr...), nil
}

// childStartup measures the time from starting a process to its embedded broker accepting
// connections: the binary re-executes itself as a child that starts a broker and prints
// its address.
func childStartup(ctx context.Context) (float64, error) {
	ctx, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	self, err := os.Executable()
	if err != nil {
		return 0, err
	}
	cmd := exec.CommandContext(ctx, self)
	cmd.Env = append(os.Environ(), childEnv+"=1")
	out, err := cmd.StdoutPipe()
	if err != nil {
		return 0, err
	}
	start := time.Now()
	if err := cmd.Start(); err != nil {
		return 0, err
	}
	defer func() { _ = cmd.Process.Kill(); _ = cmd.Wait() }()
	line, err := bufio.NewReader(out).ReadString('\n')
	if err != nil {
		return 0, fmt.Errorf("child broker: %w", err)
	}
	addr := strings.TrimSpace(line)
	// Ready means a client gets an answer.
	cl, err := kgo.NewClient(kgo.SeedBrokers(addr))
	if err != nil {
		return 0, err
	}
	defer cl.Close()
	if err := cl.Ping(ctx); err != nil {
		return 0, err
	}
	return float64(time.Since(start).Microseconds()) / 1000, nil
}

const childEnv = "KSQLGO_BENCH_BROKER_CHILD"

// runChild is the child of childStartup.
func runChild() {
	b, err := broker.New(broker.Listen("127.0.0.1:0"), broker.InMemory())
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Println(b.Addr())
	select {}
}
