package engine

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
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

// Commands reads every command in the topic (none when it does not exist yet). A record
// that is not a command is skipped and reported in the error, with the commands read.
func (l *TopicCommandLog) Commands() ([]Command, error) {
	recs, err := l.Runner.ReadTopic(l.Topic)
	if err != nil {
		return nil, err
	}
	out := make([]Command, 0, len(recs))
	var bad []error
	for i, r := range recs {
		var c Command
		if err := json.Unmarshal(r.Value, &c); err != nil || c.Statement == "" {
			bad = append(bad, fmt.Errorf("command topic %s: record %d is not a command, skipped", l.Topic, i))
			continue
		}
		out = append(out, c)
	}
	return out, errors.Join(bad...)
}

var _ CommandLog = (*TopicCommandLog)(nil)
