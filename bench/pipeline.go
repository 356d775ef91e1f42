package main

import (
	"context"
	"fmt"
	"time"

	"github.com/ksqlgo/ksqlgo/dsl"
	"github.com/ksqlgo/ksqlgo/runtime"
	"github.com/ksqlgo/ksqlgo/serde"
)

// dslTopology is the stateless pipeline of the benchmark in the Go DSL: decode, keep
// payments over the threshold, project to an Alert, encode, produce.
func dslTopology(in, out string) (*runtime.Topology, error) {
	b := dsl.NewBuilder()
	payments := dsl.StreamOf(b, in, dsl.Consumed(serde.String(), serde.JSON[Payment]()))
	big := payments.Filter(func(_ string, p Payment) bool { return p.Amount > threshold })
	alerts := dsl.MapValues(big, func(p Payment) Alert { return Alert{ID: p.ID, Card: p.Card, Amount: p.Amount} })
	alerts.To(out, dsl.Produced(serde.String(), serde.JSON[Alert]()))
	return b.Build()
}

// dslPipeline runs the topology as an App until n input records are processed and the
// output is committed, and returns the time from Run to then.
func dslPipeline(ctx context.Context, seeds []string, app, in, out string, n int, threads int) (time.Duration, error) {
	topo, err := dslTopology(in, out)
	if err != nil {
		return 0, err
	}
	a, err := runtime.New(topo, app, runtime.Brokers(seeds...), runtime.Threads(threads))
	if err != nil {
		return 0, err
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	done := make(chan error, 1)
	start := time.Now()
	go func() { done <- a.Run(ctx) }()
	tick := time.NewTicker(5 * time.Millisecond)
	defer tick.Stop()
	for {
		select {
		case err := <-done:
			return 0, fmt.Errorf("app stopped early: %v", err)
		case <-tick.C:
		}
		m := a.Metrics()
		if m.RecordsProcessed >= int64(n) {
			break
		}
	}
	cancel() // graceful: flush, commit
	if err := <-done; err != nil {
		return 0, err
	}
	return time.Since(start), nil
}
