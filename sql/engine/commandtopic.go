package engine

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kgo"
)

// CommandTopic names the command topic of a service id, as ksqlDB names its own
// ("_confluent-ksql-<service id>_command_topic").
func CommandTopic(serviceID string) string { return "_ksqlgo_" + serviceID + "_command_topic" }

// TopicCommandLog is a CommandLog in a Kafka topic on the runner's cluster: one partition
// kept forever (retention.ms=-1), one JSON record per command.
type TopicCommandLog struct {
	Runner *LiveRunner
	Topic  string

	once      sync.Once
	createErr error

	mu   sync.Mutex
	read []Command       // the commands read so far
	next map[int32]int64 // where the next read starts
}

// create makes the topic, once; an existing one is used as it is.
func (l *TopicCommandLog) create(ctx context.Context, cl *kgo.Client) error {
	l.once.Do(func() {
		keep := "-1"
		_, err := kadm.NewClient(cl).CreateTopic(ctx, 1, -1, map[string]*string{"retention.ms": &keep}, l.Topic)
		if err != nil && !errors.Is(err, kerr.TopicAlreadyExists) {
			l.createErr = fmt.Errorf("create command topic %s: %w", l.Topic, err)
		}
	})
	return l.createErr
}

// Append writes c to the topic and waits for the broker to acknowledge it.
func (l *TopicCommandLog) Append(c Command) error {
	cl, err := l.Runner.kafka()
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := l.create(ctx, cl); err != nil {
		return err
	}
	v, err := json.Marshal(c)
	if err != nil {
		return err
	}
	return cl.ProduceSync(ctx, &kgo.Record{Topic: l.Topic, Value: v}).FirstErr()
}

// Commands returns every command in the topic (none when it does not exist yet), reading
// only what was appended since its last call. A record that is not a command is skipped
// and reported in the error (once), with the commands read.
func (l *TopicCommandLog) Commands() ([]Command, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	recs, next, err := l.Runner.readTopicFrom(l.Topic, l.next)
	if err != nil {
		return slices.Clone(l.read), err
	}
	var bad []error
	for _, r := range recs {
		var c Command
		if err := json.Unmarshal(r.Value, &c); err != nil || c.Statement == "" {
			bad = append(bad, fmt.Errorf("command topic %s: a record at %d ms is not a command, skipped", l.Topic, r.Timestamp))
			continue
		}
		l.read = append(l.read, c)
	}
	l.next = next
	return slices.Clone(l.read), errors.Join(bad...)
}

var _ CommandLog = (*TopicCommandLog)(nil)
