package main

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"

	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kgo"
)

// Payment is the ~100-byte JSON input record.
type Payment struct {
	ID       string  `json:"id"`
	Card     string  `json:"card"`
	Amount   float64 `json:"amount"`
	Merchant string  `json:"merchant"`
	Country  string  `json:"country"`
	TS       int64   `json:"ts"`
}

// Alert is the projection written for payments over the threshold.
type Alert struct {
	ID     string  `json:"id"`
	Card   string  `json:"card"`
	Amount float64 `json:"amount"`
}

// threshold passes about 10% of the generated payments.
const threshold = 900.0

func payment(i int) Payment {
	return Payment{
		ID:       "p-" + strconv.Itoa(i),
		Card:     fmt.Sprintf("4111-%04d-%04d", i%9973, i%7919),
		Amount:   float64(i%1000) + 0.5,
		Merchant: "m-" + strconv.Itoa(i%500),
		Country:  []string{"NL", "DE", "FR", "US", "GB"}[i%5],
		TS:       1_700_000_000_000 + int64(i),
	}
}

// seed creates topic with partitions and produces n payments into it.
func seed(ctx context.Context, cl *kgo.Client, topic string, partitions int32, n int) (bytes int, err error) {
	if _, err := kadm.NewClient(cl).CreateTopic(ctx, partitions, 1, nil, topic); err != nil {
		return 0, fmt.Errorf("create %s: %w", topic, err)
	}
	const batch = 10000
	recs := make([]*kgo.Record, 0, batch)
	for i := 0; i < n; i++ {
		p := payment(i)
		v, _ := json.Marshal(p)
		bytes += len(v)
		recs = append(recs, &kgo.Record{Topic: topic, Key: []byte(p.Card), Value: v})
		if len(recs) == batch || i == n-1 {
			if err := cl.ProduceSync(ctx, recs...).FirstErr(); err != nil {
				return bytes, err
			}
			recs = recs[:0]
		}
	}
	return bytes, nil
}

// countTopic returns the number of records in topic (sum of end offsets).
func countTopic(ctx context.Context, cl *kgo.Client, topic string) (int64, error) {
	ends, err := kadm.NewClient(cl).ListEndOffsets(ctx, topic)
	if err != nil {
		return 0, err
	}
	var n int64
	ends.Each(func(o kadm.ListedOffset) { n += o.Offset })
	return n, nil
}
