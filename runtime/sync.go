package runtime

import (
	"errors"
	"fmt"
	"slices"

	"github.com/twmb/franz-go/pkg/kgo"
)

// SyncRunner runs a topology in the calling goroutine, with one task per subtopology
// (every topic has one partition, 0) and a caller-supplied collector. It is the engine of
// runtime/ttd, the test driver; applications use App. It is not safe for concurrent use.
type SyncRunner struct {
	env     *taskEnv
	tasks   []*task
	byTopic map[string]*task
	ctr     counters
}

// NewSyncRunner builds the tasks of t for application id appID (default "ttd"), which
// prefixes internal topic names as in an App.
func NewSyncRunner(appID string, t *Topology, c Collector, opts ...Opt) (*SyncRunner, error) {
	if err := t.Validate(); err != nil {
		return nil, err
	}
	if c == nil {
		return nil, errors.New("nil collector")
	}
	cfg := defaultConfig()
	for _, o := range opts {
		o.apply(&cfg)
	}
	if appID == "" {
		appID = "ttd"
	}
	s := &SyncRunner{byTopic: map[string]*task{}}
	s.env = &taskEnv{
		appID:       appID,
		log:         cfg.log,
		now:         cfg.now,
		collector:   c,
		counters:    &s.ctr,
		deserPolicy: cfg.deserPolicy,
		procPolicy:  cfg.procPolicy,
		topo:        t,
	}
	for _, sub := range t.subtopologies() {
		tk, err := newTask(s.env, sub, 0, nil)
		if err != nil {
			s.Close()
			return nil, err
		}
		s.tasks = append(s.tasks, tk)
		for topic := range tk.byTP {
			s.byTopic[topic] = tk
		}
	}
	return s, nil
}

// SourceTopics returns the Kafka names of the topics the topology reads.
func (s *SyncRunner) SourceTopics() []string {
	out := make([]string, 0, len(s.byTopic))
	for topic := range s.byTopic {
		out = append(out, topic)
	}
	slices.Sort(out)
	return out
}

// Reads reports whether the topology reads topic (a Kafka name).
func (s *SyncRunner) Reads(topic string) bool { _, ok := s.byTopic[topic]; return ok }

// Pipe processes r, read from r.Topic at r.Offset, to completion: when Pipe returns, every
// record the topology wrote because of r is in the collector. The error is non-nil only when
// an error policy is LogAndFail.
func (s *SyncRunner) Pipe(r *kgo.Record) error {
	tk, ok := s.byTopic[r.Topic]
	if !ok {
		return fmt.Errorf("topic %q is not read by the topology", r.Topic)
	}
	tk.queue(r.Topic).add([]*kgo.Record{r})
	_, err := tk.process(1)
	return err
}

// Punctuate runs the wall-clock punctuators that are due at the runner's clock.
func (s *SyncRunner) Punctuate() error {
	now := s.env.now().UnixMilli()
	var errs []error
	for _, tk := range s.tasks {
		if err := tk.punctuate(WallClockTime, now); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// Metrics returns the runner's counters.
func (s *SyncRunner) Metrics() Metrics {
	var m Metrics
	s.ctr.add(&m)
	return m
}

// Close closes every task.
func (s *SyncRunner) Close() error {
	var errs []error
	for _, tk := range s.tasks {
		errs = append(errs, tk.close())
	}
	s.tasks = nil
	return errors.Join(errs...)
}
