package engine

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kmsg"

	"github.com/ksqlgo/ksqlgo/sql/parser"
)

// TopicInfo describes a Kafka topic (SHOW TOPICS, ASSERT TOPIC).
type TopicInfo struct {
	Name       string
	Partitions int
	Replicas   int
}

// TopicLister is implemented by runners that can list the cluster's topics.
type TopicLister interface {
	Topics() ([]TopicInfo, error)
}

// Topics lists the cluster's topics, sorted by name. It asks the cluster each time
// (kadm.ListTopics would answer from the client's metadata cache, up to 5 s old, and miss
// a topic just created).
func (r *LiveRunner) Topics() ([]TopicInfo, error) {
	c, err := r.kafka()
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	resp, err := kmsg.NewPtrMetadataRequest().RequestWith(ctx, c)
	if err != nil {
		return nil, err
	}
	var out []TopicInfo
	for _, t := range resp.Topics {
		if t.Topic == nil || t.ErrorCode != 0 || t.IsInternal {
			continue
		}
		ti := TopicInfo{Name: *t.Topic, Partitions: len(t.Partitions)}
		for _, p := range t.Partitions {
			ti.Replicas = max(ti.Replicas, len(p.Replicas))
		}
		out = append(out, ti)
	}
	slices.SortFunc(out, func(a, b TopicInfo) int { return strings.Compare(a.Name, b.Name) })
	return out, nil
}

// Topics lists the topics written so far (one partition each), sorted by name.
func (r *DriverRunner) Topics() ([]TopicInfo, error) {
	out := make([]TopicInfo, 0, len(r.topics))
	for name := range r.topics {
		out = append(out, TopicInfo{Name: name, Partitions: 1, Replicas: 1})
	}
	slices.SortFunc(out, func(a, b TopicInfo) int { return strings.Compare(a.Name, b.Name) })
	return out, nil
}

func (e *Engine) topicLister(pos parser.Pos, what string) (TopicLister, error) {
	tl, ok := e.Runner.(TopicLister)
	if !ok {
		return nil, stmtErrAt(pos, "%s is not available here: the runner cannot list topics", what)
	}
	return tl, nil
}

func findTopic(tl TopicLister, name string) (*TopicInfo, error) {
	topics, err := tl.Topics()
	if err != nil {
		return nil, err
	}
	for i := range topics {
		if topics[i].Name == name {
			return &topics[i], nil
		}
	}
	return nil, nil
}

// assertTimeout is ksql.assert.topic.default.timeout.ms / ...schema... when the
// statement gives no TIMEOUT.
const assertTimeout = time.Second

// assert runs ASSERT [NOT EXISTS] TOPIC: it waits up to the timeout for the topic to
// exist (or to be gone) with the partitions and replicas given in WITH. ASSERT SCHEMA
// needs a schema registry, which ksqlgo does not have.
func (e *Engine) assert(s *parser.Assert) (*Result, error) {
	if s.Kind == parser.AssertSchema {
		return nil, stmtErrAt(s.Pos, "Cannot check schema existence: no Schema Registry is configured (ksqlgo supports the JSON, DELIMITED, KAFKA and NONE formats)")
	}
	timeout := assertTimeout
	if s.Timeout != "" {
		ms, err := parseDurationText(s.Timeout)
		if err != nil {
			return nil, stmtErrAt(s.Pos, "%v", err)
		}
		timeout = time.Duration(ms) * time.Millisecond
	}
	want := map[string]int{}
	for _, p := range s.Props {
		name := strings.ToUpper(p.Name.Name)
		if name != "PARTITIONS" && name != "REPLICAS" {
			return nil, stmtErrAt(s.Pos, "Cannot assert unknown topic property: %s", p.Name.Name)
		}
		n, err := strconv.Atoi(p.Value.Text)
		if err != nil {
			return nil, stmtErrAt(s.Pos, "%s must be an integer, got %s", name, p.Value.Text)
		}
		want[strings.ToLower(name)] = n
	}
	tl, err := e.topicLister(s.Pos, "ASSERT TOPIC")
	if err != nil {
		return nil, err
	}
	deadline := time.Now().Add(timeout)
	for {
		t, err := findTopic(tl, s.Name)
		if err != nil {
			return nil, err
		}
		var failure string
		switch {
		case s.NotExists && t != nil:
			failure = fmt.Sprintf("Topic %s exists", s.Name)
		case !s.NotExists && t == nil:
			failure = fmt.Sprintf("Topic %s does not exist", s.Name)
		case t != nil:
			var bad []string
			if n, ok := want["partitions"]; ok && n != t.Partitions {
				bad = append(bad, fmt.Sprintf("For config partitions, expected %d got %d", n, t.Partitions))
			}
			if n, ok := want["replicas"]; ok && n != t.Replicas {
				bad = append(bad, fmt.Sprintf("For config replicas, expected %d got %d", n, t.Replicas))
			}
			if len(bad) > 0 {
				failure = fmt.Sprintf("Mismatched configuration for topic %s: %s", s.Name, strings.Join(bad, ", "))
			}
		}
		if failure == "" {
			if s.NotExists {
				return &Result{Message: fmt.Sprintf("Topic %s does not exist", s.Name)}, nil
			}
			return &Result{Message: fmt.Sprintf("Topic %s exists", s.Name)}, nil
		}
		if !time.Now().Before(deadline) {
			return nil, stmtErrAt(s.Pos, "%s", failure)
		}
		time.Sleep(min(100*time.Millisecond, time.Until(deadline)))
	}
}

// TopicDeleter is implemented by runners that can delete topics (DROP ... DELETE TOPIC).
type TopicDeleter interface {
	DeleteTopic(name string) error
}

// DeleteTopic deletes a topic; a topic that does not exist is not an error.
func (r *LiveRunner) DeleteTopic(name string) error {
	c, err := r.kafka()
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	resp, err := kadm.NewClient(c).DeleteTopic(ctx, name)
	if err == nil {
		err = resp.Err
	}
	if errors.Is(err, kerr.UnknownTopicOrPartition) {
		return nil
	}
	return err
}

// DeleteTopic forgets a topic and its records.
func (r *DriverRunner) DeleteTopic(name string) error {
	delete(r.topics, name)
	return nil
}

// checkTopicUnshared refuses DELETE TOPIC when other sources read the same topic, as
// ksqlDB does.
func (e *Engine) checkTopicUnshared(pos parser.Pos, src *Source) error {
	var others []string
	for _, o := range e.Catalog.Sources() {
		if o.Name != src.Name && o.Topic == src.Topic {
			others = append(others, o.Name)
		}
	}
	if len(others) > 0 {
		return stmtErrAt(pos, "Refusing to delete topic. Found other data sources (%s) using topic %s", strings.Join(others, ", "), src.Topic)
	}
	return nil
}

func (e *Engine) deleteTopic(topic string) error {
	td, ok := e.Runner.(TopicDeleter)
	if !ok {
		return fmt.Errorf("this runner cannot delete topics")
	}
	return td.DeleteTopic(topic)
}

// TopicPartitionCounter is implemented by runners that can tell a topic's partition
// count: a source declared over an existing topic takes the topic's count.
type TopicPartitionCounter interface {
	// TopicPartitions returns the partition count of topic, and false when it does not
	// exist.
	TopicPartitions(topic string) (int, bool, error)
}

// TopicPartitions asks the cluster for topic's partition count (TopicPartitionCounter).
func (r *LiveRunner) TopicPartitions(topic string) (int, bool, error) {
	c, err := r.kafka()
	if err != nil {
		return 0, false, err
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	req := kmsg.NewPtrMetadataRequest()
	rt := kmsg.NewMetadataRequestTopic()
	rt.Topic = kmsg.StringPtr(topic)
	req.Topics = append(req.Topics, rt)
	resp, err := req.RequestWith(ctx, c)
	if err != nil {
		return 0, false, err
	}
	for _, t := range resp.Topics {
		if t.Topic == nil || *t.Topic != topic {
			continue
		}
		if err := kerr.ErrorForCode(t.ErrorCode); err != nil {
			if errors.Is(err, kerr.UnknownTopicOrPartition) {
				return 0, false, nil
			}
			return 0, false, err
		}
		return len(t.Partitions), true, nil
	}
	return 0, false, nil
}

// existingPartitions makes a source declared over an existing topic agree with it: with
// no PARTITIONS it takes the topic's count; with a different one it is refused, as ksqlDB
// refuses it.
func (e *Engine) existingPartitions(src *Source) error {
	pc, ok := e.Runner.(TopicPartitionCounter)
	if !ok {
		return nil
	}
	n, exists, err := pc.TopicPartitions(src.Topic)
	if err != nil || !exists {
		return err
	}
	if src.PartitionsKnown && src.Partitions != n {
		return stmtErr("A Kafka topic with the name '%s' already exists, with different partition/replica configuration than required. KSQL expects %d partitions (topic has %d).", src.Topic, src.Partitions, n)
	}
	src.Partitions, src.PartitionsKnown = n, true
	return nil
}
