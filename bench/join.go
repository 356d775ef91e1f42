package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/ksqlgo/ksqlgo/runtime"
	"github.com/ksqlgo/ksqlgo/sql/engine"
)

// The join benchmark enriches payments with their merchant: a stream-table join on the
// stream's key, as ksqlDB's
//
//	SELECT p.merchant_key, p.id, p.amount, m.name, m.category
//	  FROM pays p JOIN merchants m ON p.merchant_key = m.id
//
// against the raw franz-go loop that loads the merchants into a map and, per partition,
// decodes each payment, looks its merchant up, encodes the enriched record and produces it.

// joinConfig sizes the join benchmark.
type joinConfig struct {
	Records    int // payments
	Merchants  int
	Partitions int32
	Threads    int
}

// Merchant is a row of the merchants table.
type Merchant struct {
	Name     string `json:"NAME"`
	Category string `json:"CATEGORY"`
}

// Enriched is the raw baseline's output record (the SQL query writes the same columns).
type Enriched struct {
	ID       string  `json:"ID"`
	Amount   float64 `json:"AMOUNT"`
	Name     string  `json:"NAME"`
	Category string  `json:"CATEGORY"`
}

func merchantKey(i, merchants int) string { return "m-" + strconv.Itoa(i%merchants) }

// seedJoin writes the merchants (timestamp 1, before every payment, so that a task reads
// them first) and the payments keyed by merchant.
func seedJoin(ctx context.Context, cl *kgo.Client, merchantsTopic, paysTopic string, cfg joinConfig) error {
	adm := kadm.NewClient(cl)
	if _, err := adm.CreateTopic(ctx, cfg.Partitions, 1, map[string]*string{"cleanup.policy": kadm.StringPtr("compact")}, merchantsTopic); err != nil {
		return err
	}
	if _, err := adm.CreateTopic(ctx, cfg.Partitions, 1, nil, paysTopic); err != nil {
		return err
	}
	var recs []*kgo.Record
	for i := range cfg.Merchants {
		v, _ := json.Marshal(Merchant{Name: "merchant " + strconv.Itoa(i), Category: []string{"food", "travel", "retail"}[i%3]})
		recs = append(recs, &kgo.Record{Topic: merchantsTopic, Key: []byte(merchantKey(i, cfg.Merchants)), Value: v, Timestamp: time.UnixMilli(1)})
	}
	if err := cl.ProduceSync(ctx, recs...).FirstErr(); err != nil {
		return err
	}
	const batch = 10000
	recs = recs[:0]
	for i := range cfg.Records {
		p := payment(i)
		v, _ := json.Marshal(p)
		recs = append(recs, &kgo.Record{Topic: paysTopic, Key: []byte(merchantKey(i, cfg.Merchants)), Value: v})
		if len(recs) == batch || i == cfg.Records-1 {
			if err := cl.ProduceSync(ctx, recs...).FirstErr(); err != nil {
				return err
			}
			recs = recs[:0]
		}
	}
	return nil
}

// rawJoin is the franz-go baseline: read the merchants into a map, then enrich every
// payment (goroutinePerPartition). Loading the table is timed too.
func rawJoin(ctx context.Context, seeds []string, group, merchantsTopic, paysTopic, out string, cfg joinConfig) (time.Duration, error) {
	start := time.Now()
	merchants := map[string]Merchant{}
	err := readAll(ctx, seeds, merchantsTopic, func(r *kgo.Record) {
		var m Merchant
		if json.Unmarshal(r.Value, &m) == nil {
			merchants[string(r.Key)] = m
		}
	})
	if err != nil {
		return 0, err
	}
	if len(merchants) != cfg.Merchants {
		return 0, fmt.Errorf("raw join: read %d merchants, want %d", len(merchants), cfg.Merchants)
	}
	cl, err := kgo.NewClient(kgo.SeedBrokers(seeds...), kgo.ConsumerGroup(group), kgo.ConsumeTopics(paysTopic),
		kgo.ConsumeResetOffset(kgo.NewOffset().AtStart()), kgo.DisableAutoCommit(), kgo.AllowAutoTopicCreation())
	if err != nil {
		return 0, err
	}
	var perr atomic.Value
	_, err = goroutinePerPartition(ctx, cl, cfg.Records, func(int32) func([]*kgo.Record) {
		var pay Payment
		return func(recs []*kgo.Record) {
			for _, r := range recs {
				if err := json.Unmarshal(r.Value, &pay); err != nil {
					perr.Store(err)
					continue
				}
				m, ok := merchants[string(r.Key)]
				if !ok {
					continue
				}
				v, _ := json.Marshal(Enriched{ID: pay.ID, Amount: pay.Amount, Name: m.Name, Category: m.Category})
				cl.Produce(ctx, &kgo.Record{Topic: out, Key: r.Key, Value: v}, nil)
			}
		}
	})
	if err != nil {
		return 0, err
	}
	if e := perr.Load(); e != nil {
		return 0, e.(error)
	}
	return time.Since(start), nil
}

// sqlJoin runs the join as a SQL persistent query (state on disk in a temporary
// directory) until its output holds one record per payment.
func sqlJoin(ctx context.Context, seeds []string, cl *kgo.Client, round int, merchantsTopic, paysTopic, out string, cfg joinConfig) (time.Duration, error) {
	dir, err := os.MkdirTemp("", "ksqlgo-bench-join-state-")
	if err != nil {
		return 0, err
	}
	defer os.RemoveAll(dir)
	script := fmt.Sprintf(`
CREATE TABLE merchants (id STRING PRIMARY KEY, name STRING, category STRING)
  WITH (KAFKA_TOPIC='%s', KEY_FORMAT='KAFKA', VALUE_FORMAT='JSON');
CREATE STREAM pays (merchant_key STRING KEY, id STRING, card STRING, amount DOUBLE, merchant STRING, country STRING, ts BIGINT)
  WITH (KAFKA_TOPIC='%s', KEY_FORMAT='KAFKA', VALUE_FORMAT='JSON');
CREATE STREAM enriched_%d WITH (KAFKA_TOPIC='%s', VALUE_FORMAT='JSON') AS
  SELECT p.merchant_key, p.id, p.amount, m.name, m.category
  FROM pays p JOIN merchants m ON p.merchant_key = m.id;
`, merchantsTopic, paysTopic, round, out)
	runner := &engine.LiveRunner{Brokers: seeds, Threads: cfg.Threads, StateDir: dir}
	return runSQL(ctx, runner, script, func(m runtime.Metrics) (bool, error) {
		if m.RecordsProcessed < int64(cfg.Records) {
			return false, nil
		}
		written, err := countTopic(ctx, cl, out)
		return written >= int64(cfg.Records), err
	})
}

// runJoin measures the join three times alternating with the raw baseline (medians).
func runJoin(ctx context.Context, seeds []string, cl *kgo.Client, cfg joinConfig) ([]Result, error) {
	merchantsTopic, paysTopic := "bench-join-merchants", "bench-join-pays"
	if err := seedJoin(ctx, cl, merchantsTopic, paysTopic, cfg); err != nil {
		return nil, fmt.Errorf("seed join input: %w", err)
	}
	var raws, sqls []time.Duration
	for i := range 3 {
		rawOut, sqlOut := fmt.Sprintf("bench-join-raw-out-%d", i), fmt.Sprintf("bench-join-sql-out-%d", i)
		raw, err := rawJoin(ctx, seeds, fmt.Sprintf("bench-rawjoin-%d", i), merchantsTopic, paysTopic, rawOut, cfg)
		if err != nil {
			return nil, fmt.Errorf("raw join: %w", err)
		}
		sq, err := sqlJoin(ctx, seeds, cl, i, merchantsTopic, paysTopic, sqlOut, cfg)
		if err != nil {
			return nil, fmt.Errorf("sql join: %w", err)
		}
		for _, topic := range []string{rawOut, sqlOut} {
			n, err := countTopic(ctx, cl, topic)
			if err != nil {
				return nil, err
			}
			if n != int64(cfg.Records) {
				return nil, fmt.Errorf("join pipelines: %s holds %d records, want %d", topic, n, cfg.Records)
			}
		}
		logRound("sql-stream-table-join", i, cfg.Records, raw, sq)
		raws, sqls = append(raws, raw), append(sqls, sq)
	}
	r, sq := rate(cfg.Records, median(raws)), rate(cfg.Records, median(sqls))
	return []Result{{Name: "sql-stream-table-join", RecordsPerSec: sq,
		Baseline: "raw-map-lookup", BaselineRecordsPerSec: r, Ratio: sq / r}}, nil
}
