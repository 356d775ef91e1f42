package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/ksqlgo/ksqlgo/sql/engine"
)

// BenchmarkPullQueryByKey times a SQL pull query by key on a CREATE TABLE AS SELECT table
// whose one key was updated 100k times, on the embedded broker: "store" answers from the
// query's state store (a key lookup), "source-table" from the store of the CST query of a
// CREATE SOURCE TABLE over the same topic, and "topic" from that source table once its
// CST query is terminated, which reads the topic's 100k records (how every table pull
// query was answered before the stores, and still is when a table's query is not
// running). Each reports its ratio to a raw franz-go read of the table's topic that finds
// the key's latest value (rawLatest).
func BenchmarkPullQueryByKey(b *testing.B) {
	withBroker(b, func(seeds []string, cl *kgo.Client) ([]Result, error) {
		r := &engine.LiveRunner{Brokers: seeds, Log: slog.New(slog.DiscardHandler)}
		defer r.Close()
		e := engine.New(r)
		if _, err := e.ExecuteScript(`CREATE STREAM s (k STRING KEY, v BIGINT) WITH (KAFKA_TOPIC='s', VALUE_FORMAT='JSON', PARTITIONS=1);
CREATE TABLE latest AS SELECT k, LATEST_BY_OFFSET(v) AS v, COUNT(*) AS n FROM s GROUP BY k;
CREATE SOURCE TABLE latest_topic (k STRING PRIMARY KEY, v BIGINT, n BIGINT) WITH (KAFKA_TOPIC='LATEST', VALUE_FORMAT='JSON');`); err != nil {
			return nil, err
		}
		const updates = 100_000
		ctx := context.Background()
		for i := range updates {
			cl.Produce(ctx, &kgo.Record{Topic: "s", Key: []byte("a"), Value: []byte(`{"V":` + strconv.Itoa(i) + `}`)}, nil)
		}
		if err := cl.Flush(ctx); err != nil {
			return nil, err
		}
		want := fmt.Sprintf("%d", updates)
		for _, table := range []string{"latest", "latest_topic"} {
			deadline := time.Now().Add(2 * time.Minute)
			for {
				res, err := e.ExecuteScript("SELECT n FROM " + table + " WHERE k = 'a';")
				if err != nil {
					return nil, err
				}
				if len(res[0].Rows) == 1 && res[0].Rows[0][0] == want {
					break
				}
				if time.Now().After(deadline) {
					return nil, fmt.Errorf("%s never counted %d updates: %v", table, updates, res[0].Rows)
				}
				time.Sleep(100 * time.Millisecond) // poll while the query catches up
			}
		}
		cst := cstQuery(e)
		if err := waitForStore(e, r, "a"); err != nil {
			return nil, err
		}
		// The raw franz-go baseline: what an application without a store does to answer
		// the same question - read the table's topic to its end, keeping key a's last value.
		var raws []time.Duration
		for range 3 {
			d, err := rawLatest(ctx, seeds, "LATEST", "a")
			if err != nil {
				return nil, err
			}
			raws = append(raws, d)
		}
		raw := median(raws)
		for _, tc := range []struct{ name, table, before string }{
			{"store", "latest", ""},
			{"source-table", "latest_topic", ""},
			{"topic", "latest_topic", "TERMINATE " + cst.ID + ";"},
		} {
			if tc.before != "" {
				if _, err := e.ExecuteScript(tc.before); err != nil {
					return nil, err
				}
			}
			b.Run(tc.name, func(b *testing.B) {
				for b.Loop() {
					res, err := e.ExecuteScript("SELECT k, v, n FROM " + tc.table + " WHERE k = 'a';")
					if err != nil || len(res[0].Rows) != 1 {
						b.Fatalf("%v %v", res, err)
					}
				}
				perQuery := b.Elapsed() / time.Duration(b.N)
				b.ReportMetric(float64(raw.Microseconds())/1000, "raw-read-ms")
				b.ReportMetric(float64(raw)/float64(perQuery), "ratio") // queries/s against the raw read's
			})
		}
		return nil, nil
	})
}

// cstQuery returns e's source table query, nil if none.
func cstQuery(e *engine.Engine) *engine.Query {
	for _, q := range e.Queries() {
		if q.Kind == engine.KindSourceTable {
			return q
		}
	}
	return nil
}

// waitForStore waits until the store of e's source table query answers for key, so that
// pull queries on the table no longer fall back to reading its topic.
func waitForStore(e *engine.Engine, r *engine.LiveRunner, key string) error {
	q := cstQuery(e)
	if q == nil {
		return fmt.Errorf("no source table query")
	}
	deadline := time.Now().Add(2 * time.Minute)
	for {
		v, err := r.StoreGet(q.ID, q.Store, []byte(key))
		switch {
		case err == nil && v != nil:
			return nil
		case err != nil && !errors.Is(err, engine.ErrStoreUnavailable):
			return err
		case time.Now().After(deadline):
			return fmt.Errorf("the store of %s never answered for %s", q.ID, key)
		}
		time.Sleep(100 * time.Millisecond) // poll while the query catches up
	}
}

// rawLatest reads topic from its start to its current end with a plain franz-go client and
// returns how long finding key's latest value took.
func rawLatest(ctx context.Context, seeds []string, topic, key string) (time.Duration, error) {
	start := time.Now()
	adm, err := kgo.NewClient(kgo.SeedBrokers(seeds...))
	if err != nil {
		return 0, err
	}
	ends, err := kadm.NewClient(adm).ListEndOffsets(ctx, topic)
	adm.Close()
	if err != nil {
		return 0, err
	}
	left := map[int32]int64{}
	ends.Each(func(o kadm.ListedOffset) {
		if o.Offset > 0 {
			left[o.Partition] = o.Offset
		}
	})
	cl, err := kgo.NewClient(kgo.SeedBrokers(seeds...), kgo.ConsumeTopics(topic),
		kgo.ConsumeResetOffset(kgo.NewOffset().AtStart()))
	if err != nil {
		return 0, err
	}
	defer cl.Close()
	var latest []byte
	for len(left) > 0 {
		fs := cl.PollFetches(ctx)
		if err := ctx.Err(); err != nil {
			return 0, err
		}
		fs.EachRecord(func(r *kgo.Record) {
			if string(r.Key) == key {
				latest = r.Value
			}
			if end, ok := left[r.Partition]; ok && r.Offset+1 >= end {
				delete(left, r.Partition)
			}
		})
	}
	if latest == nil {
		return 0, fmt.Errorf("key %s not found in %s", key, topic)
	}
	return time.Since(start), nil
}
