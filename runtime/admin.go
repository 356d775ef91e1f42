package runtime

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"time"

	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kgo"
)

// waitForCluster retries until the cluster answers a metadata request, logging each failed
// attempt, and gives up after timeout with an error naming the seed brokers.
func waitForCluster(ctx context.Context, adm *kadm.Client, seeds []string, timeout time.Duration, log *slog.Logger) error {
	deadline := time.Now().Add(timeout)
	backoff := 100 * time.Millisecond
	for attempt := 1; ; attempt++ {
		actx, cancel := context.WithTimeout(ctx, min(2*time.Second, time.Until(deadline)+time.Millisecond))
		_, err := adm.BrokerMetadata(actx)
		cancel()
		if err == nil {
			return nil
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("cannot reach Kafka at %s after %v (%d attempts): %w", strings.Join(seeds, ","), timeout, attempt, err)
		}
		log.Warn("cannot reach Kafka, retrying", "brokers", strings.Join(seeds, ","), "attempt", attempt, "retry_in", backoff, "err", err)
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(min(backoff, time.Until(deadline))):
		}
		backoff = min(2*backoff, 2*time.Second)
	}
}

// prepareTopics checks that the source topics exist (creating them when configured),
// creates missing internal topics, and returns the partition count of every source topic
// (resolved names).
func prepareTopics(ctx context.Context, adm *kadm.Client, topo *Topology, cfg *config) (map[string]int32, error) {
	resolve := func(t string) string {
		if topo.IsInternal(t) {
			return InternalTopicName(cfg.appID, t)
		}
		return t
	}
	var external, internal []string
	for _, t := range topo.SourceTopics() {
		if !topo.IsInternal(t) {
			external = append(external, t)
		}
	}
	for _, t := range topo.InternalTopics() {
		internal = append(internal, resolve(t))
	}
	details, err := adm.ListTopics(ctx, append(slices.Clone(external), internal...)...)
	if err != nil {
		return nil, fmt.Errorf("list topics: %w", err)
	}
	counts := map[string]int32{}
	var missing []string
	for _, t := range append(slices.Clone(external), internal...) {
		d, ok := details[t]
		if ok && d.Err == nil {
			counts[t] = int32(len(d.Partitions))
			continue
		}
		if ok && d.Err != nil && !errors.Is(d.Err, kerr.UnknownTopicOrPartition) {
			return nil, fmt.Errorf("describe topic %q: %w", t, d.Err)
		}
		if slices.Contains(external, t) {
			missing = append(missing, t)
		}
	}
	if len(missing) > 0 {
		if cfg.createSources < 1 {
			return nil, fmt.Errorf("source topic(s) %q do not exist: create them, or start the application with runtime.CreateMissingSourceTopics", missing)
		}
		if err := createTopics(ctx, adm, missing, cfg.createSources, nil); err != nil {
			return nil, err
		}
		for _, t := range missing {
			counts[t] = cfg.createSources
		}
	}
	// Internal topics: explicit count, or the largest count among the source topics of the
	// subtopologies writing to them. Repeat to resolve chains of repartition topics.
	derive := func(name string) int32 {
		var n int32
		for _, s := range topo.writers(name) {
			for _, src := range s.topics {
				n = max(n, counts[resolve(src)])
			}
		}
		return n
	}
	for range len(internal) + 1 {
		for _, name := range topo.InternalTopics() {
			rt := resolve(name)
			if _, ok := counts[rt]; ok {
				continue
			}
			n := topo.internal[name].Partitions
			if n == 0 {
				// A repartition topic feeding a join takes the partition count of the
				// join's other inputs (Kafka Streams' CopartitionedTopicsEnforcer).
				if c, ok := topo.copartitionCount(name, counts, resolve, derive); ok {
					if c == 0 {
						continue // upstream count not known yet
					}
					n = c
				} else {
					n = derive(name)
				}
			}
			if n == 0 {
				continue // upstream count not known yet
			}
			if err := createTopics(ctx, adm, []string{rt}, n, topo.internal[name].Configs); err != nil {
				return nil, err
			}
			counts[rt] = n
		}
	}
	for _, name := range topo.InternalTopics() {
		if _, ok := counts[resolve(name)]; !ok {
			return nil, fmt.Errorf("internal topic %q: cannot derive its partition count (no writer with known source partitions); set InternalTopic.Partitions", name)
		}
	}
	if err := topo.checkCopartitioning(counts, resolve); err != nil {
		return nil, err
	}
	return counts, nil
}

func createTopics(ctx context.Context, adm *kadm.Client, topics []string, partitions int32, configs map[string]string) error {
	var cfg map[string]*string
	if len(configs) > 0 {
		cfg = map[string]*string{}
		for k, v := range configs {
			cfg[k] = kadm.StringPtr(v)
		}
	}
	resp, err := adm.CreateTopics(ctx, partitions, -1, cfg, topics...)
	if err != nil {
		return fmt.Errorf("create topics %q: %w", topics, err)
	}
	for _, r := range resp.Sorted() {
		if r.Err != nil && !errors.Is(r.Err, kerr.TopicAlreadyExists) {
			return fmt.Errorf("create topic %q: %w", r.Topic, r.Err)
		}
	}
	return nil
}

// kgoLogger adapts slog to kgo's logger. kgo's info messages (every rebalance step) are
// logged at debug.
type kgoLogger struct{ l *slog.Logger }

func (k kgoLogger) Level() kgo.LogLevel {
	ctx := context.Background()
	switch {
	case k.l.Enabled(ctx, slog.LevelDebug):
		return kgo.LogLevelInfo
	case k.l.Enabled(ctx, slog.LevelWarn):
		return kgo.LogLevelWarn
	case k.l.Enabled(ctx, slog.LevelError):
		return kgo.LogLevelError
	}
	return kgo.LogLevelNone
}

func (k kgoLogger) Log(level kgo.LogLevel, msg string, keyvals ...any) {
	lvl := slog.LevelDebug
	switch level {
	case kgo.LogLevelError:
		lvl = slog.LevelError
	case kgo.LogLevelWarn:
		lvl = slog.LevelWarn
	}
	k.l.Log(context.Background(), lvl, "kgo: "+msg, keyvals...)
}

// WaitForCluster retries until the Kafka cluster at seeds answers, logging each failed
// attempt at warn level, and returns a clear error naming the brokers after timeout.
func WaitForCluster(ctx context.Context, seeds []string, timeout time.Duration, log *slog.Logger) error {
	cl, err := kgo.NewClient(kgo.SeedBrokers(seeds...), kgo.WithLogger(kgoLogger{log}))
	if err != nil {
		return fmt.Errorf("bootstrap servers %q: %w", seeds, err)
	}
	defer cl.Close()
	return waitForCluster(ctx, kadm.NewClient(cl), seeds, timeout, log)
}
