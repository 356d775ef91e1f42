package main

import (
	"context"
	"os"
	"strings"
	"testing"
)

func TestMain(m *testing.M) {
	if os.Getenv(childEnv) != "" {
		runChild() // the child of childStartup under go test
	}
	os.Exit(m.Run())
}

// BenchmarkStatelessPipeline runs the whole comparison (raw franz-go, the DSL pipeline and
// the same pipeline as a SQL persistent query, on the same broker) on 1M records per
// iteration and reports the rates and ratios (sql/dsl: SQL against the Go DSL).
func BenchmarkStatelessPipeline(b *testing.B) {
	for b.Loop() {
		res, err := Run(context.Background(), Config{Records: 1_000_000, Partitions: 4, Threads: 4})
		if err != nil {
			b.Fatal(err)
		}
		for _, r := range res {
			switch {
			case r.Name == "dsl-filter-project":
				b.ReportMetric(r.RecordsPerSec, "rec/s")
				b.ReportMetric(r.BaselineRecordsPerSec, "baseline-rec/s")
				b.ReportMetric(r.Ratio, "ratio")
			case r.Name == "sql-filter-project" && r.Baseline == "dsl-filter-project":
				b.ReportMetric(r.RecordsPerSec, "sql-rec/s")
				b.ReportMetric(r.Ratio, "sql/dsl")
			case r.Name == "sql-filter-project":
				b.ReportMetric(r.Ratio, "sql-ratio")
			}
			if strings.HasPrefix(r.Name, "process-start") {
				b.ReportMetric(r.Millis, "startup-ms")
			}
		}
	}
}

// TestRunSmall checks that the benchmark harness works end to end (both pipelines write
// the same alerts) on a small input; it asserts no timing.
func TestRunSmall(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the benchmark harness")
	}
	res, err := Run(context.Background(), Config{Records: 5000, Partitions: 4, Threads: 2})
	if err != nil {
		t.Fatal(err)
	}
	var sb strings.Builder
	printResults(&sb, res, true)
	if !strings.Contains(sb.String(), `"name":"dsl-filter-project"`) || !strings.Contains(sb.String(), `"name":"sql-filter-project"`) {
		t.Fatalf("no pipeline line in %s", sb.String())
	}
}
