package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"os"
	"os/exec"
	goruntime "runtime"
	"strconv"
	"strings"
	"time"

	"github.com/ksqlgo/ksqlgo/runtime"
)

// Memory is measured in a child process (the benchmark binary re-executed) that runs only
// the application, against the parent's broker: in the parent, the in-memory broker's data
// would dwarf it. The child reports, once its store holds the benchmark's keys and after two
// garbage collections, the Go heap in use (runtime.MemStats.HeapInuse) and the resident set
// (VmRSS, which includes Badger's memory-mapped files as far as they are in memory).

// memChildEnv carries a memSpec (JSON) to the child.
const memChildEnv = "KSQLGO_BENCH_STATEFUL_MEM_CHILD"

type memSpec struct {
	Mode    string // "count": process N input records; "restore": restore N changelog records
	Broker  string
	App     string
	In, Out string
	N       int64
	Threads int
}

type memUsage struct {
	HeapMiB float64 `json:"heap_mib"`
	RSSMiB  float64 `json:"rss_mib"`
}

func init() {
	if spec := os.Getenv(memChildEnv); spec != "" {
		if err := memChild(spec); err != nil {
			fmt.Fprintln(os.Stderr, "bench memory child:", err)
			os.Exit(1)
		}
		os.Exit(0)
	}
}

// measureMemory runs spec in a child process and returns what it reports.
func measureMemory(ctx context.Context, spec memSpec) (memUsage, error) {
	ctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	self, err := os.Executable()
	if err != nil {
		return memUsage{}, err
	}
	b, err := json.Marshal(spec)
	if err != nil {
		return memUsage{}, err
	}
	cmd := exec.CommandContext(ctx, self)
	cmd.Env = append(os.Environ(), memChildEnv+"="+string(b))
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return memUsage{}, fmt.Errorf("%w: %s", err, strings.TrimSpace(stderr.String()))
	}
	var m memUsage
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		if line, ok := strings.CutPrefix(sc.Text(), "MEM "); ok {
			return m, json.Unmarshal([]byte(line), &m)
		}
	}
	return m, fmt.Errorf("no MEM line in the child's output %q", out)
}

func memChild(s string) error {
	var spec memSpec
	if err := json.Unmarshal([]byte(s), &spec); err != nil {
		return err
	}
	dir, err := os.MkdirTemp("", "ksqlgo-bench-mem-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	topo, err := countTopology(spec.In, spec.Out)
	if err != nil {
		return err
	}
	a, err := runtime.New(topo, spec.App, runtime.Brokers(spec.Broker), runtime.StateDir(dir), runtime.Threads(spec.Threads),
		runtime.Logger(slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))))
	if err != nil {
		return err
	}
	done := func(m runtime.Metrics) bool { return m.RecordsProcessed >= spec.N }
	if spec.Mode == "restore" {
		done = func(m runtime.Metrics) bool { return m.RecordsRestored >= spec.N }
	}
	var m memUsage
	var rerr error
	err = runUntil(context.Background(), a, done, func() {
		goruntime.GC()
		goruntime.GC()
		var ms goruntime.MemStats
		goruntime.ReadMemStats(&ms)
		m.HeapMiB = float64(ms.HeapInuse) / (1 << 20)
		m.RSSMiB, rerr = rssMiB()
	})
	if err != nil {
		return err
	}
	if rerr != nil {
		return rerr
	}
	b, _ := json.Marshal(m)
	fmt.Printf("MEM %s\n", b)
	return nil
}

// rssMiB returns the resident set size of this process (Linux; 0 elsewhere).
func rssMiB() (float64, error) {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0, nil // not Linux: unknown
	}
	for _, l := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(l, "VmRSS:"); ok {
			kb, err := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 64)
			return kb / 1024, err
		}
	}
	return 0, fmt.Errorf("no VmRSS in /proc/self/status")
}
