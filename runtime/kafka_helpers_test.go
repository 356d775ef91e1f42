package runtime_test

import (
	"context"
	"fmt"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kfake"
	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/ksqlgo/ksqlgo/runtime"
)

// newCluster starts an in-memory kfake broker for one test.
func newCluster(t *testing.T, opts ...kfake.Opt) *kfake.Cluster {
	t.Helper()
	c, err := kfake.NewCluster(append([]kfake.Opt{
		kfake.NumBrokers(1),
		kfake.AllowAutoTopicCreation(),
		kfake.GroupMinSessionTimeout(100 * time.Millisecond),
	}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Close)
	return c
}

func newClient(t *testing.T, c *kfake.Cluster, opts ...kgo.Opt) *kgo.Client {
	t.Helper()
	cl, err := kgo.NewClient(append([]kgo.Opt{kgo.SeedBrokers(c.ListenAddrs()...)}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(cl.Close)
	return cl
}

func createTopic(t *testing.T, cl *kgo.Client, partitions int32, topics ...string) {
	t.Helper()
	_, err := kadm.NewClient(cl).CreateTopics(context.Background(), partitions, 1, nil, topics...)
	if err != nil {
		t.Fatal(err)
	}
}

// produceN produces n records key-i/value-i to topic and waits for acknowledgement.
func produceN(t *testing.T, cl *kgo.Client, topic string, from, n int) {
	t.Helper()
	var recs []*kgo.Record
	for i := from; i < from+n; i++ {
		recs = append(recs, &kgo.Record{Topic: topic, Key: []byte("k" + strconv.Itoa(i)), Value: []byte(strconv.Itoa(i))})
	}
	if err := cl.ProduceSync(context.Background(), recs...).FirstErr(); err != nil {
		t.Fatal(err)
	}
}

// collect reads topic from the start until stop returns true or the deadline passes.
func collect(t *testing.T, c *kfake.Cluster, topic string, stop func(map[string]int) bool) map[string]int {
	t.Helper()
	cl := newClient(t, c, kgo.ConsumeTopics(topic), kgo.ConsumeResetOffset(kgo.NewOffset().AtStart()))
	seen := map[string]int{}
	deadline := time.Now().Add(30 * time.Second)
	for !stop(seen) {
		if time.Now().After(deadline) {
			t.Fatalf("timed out reading %s: have %d distinct values", topic, len(seen))
		}
		ctx, cancel := context.WithTimeout(context.Background(), 500*time.Millisecond)
		cl.PollFetches(ctx).EachRecord(func(r *kgo.Record) { seen[string(r.Value)]++ })
		cancel()
	}
	return seen
}

// startApp runs app in the background and stops it at cleanup (or via the returned stop).
func startApp(t *testing.T, app *runtime.App) (stop func() error) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	var once sync.Once
	var err error
	done := make(chan struct{})
	go func() { err = app.Run(ctx); close(done) }()
	stop = func() error {
		once.Do(func() { cancel(); <-done })
		return err
	}
	t.Cleanup(func() {
		if err := stop(); err != nil {
			t.Errorf("app run: %v", err)
		}
	})
	return stop
}

// waitFor polls cond until it holds or 30s pass.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

var _ = fmt.Sprint
