package main

import (
	"context"
	"encoding/json"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"
)

// rawConsume counts n records of topic with one plain franz-go consumer.
func rawConsume(ctx context.Context, seeds []string, topic string, n int, decode bool) (time.Duration, error) {
	cl, err := kgo.NewClient(kgo.SeedBrokers(seeds...), kgo.ConsumeTopics(topic),
		kgo.ConsumeResetOffset(kgo.NewOffset().AtStart()))
	if err != nil {
		return 0, err
	}
	defer cl.Close()
	start := time.Now()
	got := 0
	var p Payment
	for got < n {
		fs := cl.PollFetches(ctx)
		if err := ctx.Err(); err != nil {
			return 0, err
		}
		var derr error
		fs.EachRecord(func(r *kgo.Record) {
			got++
			if decode && derr == nil {
				derr = json.Unmarshal(r.Value, &p)
			}
		})
		if derr != nil {
			return 0, derr
		}
	}
	return time.Since(start), nil
}

// goroutinePerPartition is the loop of the raw franz-go baselines, as franz-go's
// goroutine_per_partition_consuming example does it: cl (a group member) polls, hands each
// partition's records to a goroutine of that partition made by newWorker (which runs the
// returned function on every batch, so it may keep per-partition state), waits for the
// batch, commits offsets, and returns when n records were handled and everything produced
// is acknowledged. It closes cl.
func goroutinePerPartition(ctx context.Context, cl *kgo.Client, n int, newWorker func(p int32) func(recs []*kgo.Record)) (time.Duration, error) {
	type work struct {
		recs []*kgo.Record
		done chan struct{}
	}
	var processed atomic.Int64
	workers := map[int32]chan work{}
	var wg sync.WaitGroup
	defer func() {
		for _, ch := range workers {
			close(ch)
		}
		wg.Wait()
		cl.Close()
	}()
	start := time.Now()
	for processed.Load() < int64(n) {
		fs := cl.PollFetches(ctx)
		if err := ctx.Err(); err != nil {
			return 0, err
		}
		var dones []chan struct{}
		fs.EachPartition(func(p kgo.FetchTopicPartition) {
			if len(p.Records) == 0 {
				return
			}
			ch := workers[p.Partition]
			if ch == nil {
				ch = make(chan work, 4)
				workers[p.Partition] = ch
				handle := newWorker(p.Partition)
				wg.Go(func() {
					for w := range ch {
						handle(w.recs)
						processed.Add(int64(len(w.recs)))
						close(w.done)
					}
				})
			}
			d := make(chan struct{})
			dones = append(dones, d)
			ch <- work{recs: p.Records, done: d}
		})
		for _, d := range dones {
			<-d
		}
		if err := cl.CommitUncommittedOffsets(ctx); err != nil {
			return 0, fmt.Errorf("commit: %w", err)
		}
	}
	if err := cl.Flush(ctx); err != nil {
		return 0, err
	}
	return time.Since(start), nil
}

// rawPipeline is the hand-written franz-go baseline of the stateless pipeline: per
// partition, decode, filter, project, encode and produce (goroutinePerPartition). It
// returns when n input records have been processed and the output is acknowledged.
func rawPipeline(ctx context.Context, seeds []string, group, in, out string, n int) (time.Duration, error) {
	cl, err := kgo.NewClient(kgo.SeedBrokers(seeds...), kgo.ConsumerGroup(group), kgo.ConsumeTopics(in),
		kgo.ConsumeResetOffset(kgo.NewOffset().AtStart()), kgo.DisableAutoCommit(),
		kgo.AllowAutoTopicCreation())
	if err != nil {
		return 0, err
	}
	var perr atomic.Value
	d, err := goroutinePerPartition(ctx, cl, n, func(int32) func([]*kgo.Record) {
		var pay Payment
		return func(recs []*kgo.Record) {
			for _, r := range recs {
				if err := json.Unmarshal(r.Value, &pay); err != nil {
					perr.Store(err)
					continue
				}
				if pay.Amount > threshold {
					v, _ := json.Marshal(Alert{ID: pay.ID, Card: pay.Card, Amount: pay.Amount})
					cl.Produce(ctx, &kgo.Record{Topic: out, Key: r.Key, Value: v}, nil)
				}
			}
		}
	})
	if err != nil {
		return 0, err
	}
	if e := perr.Load(); e != nil {
		return 0, e.(error)
	}
	return d, nil
}
