package runtime

import (
	"errors"
	"fmt"
	"slices"

	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/ksqlgo/ksqlgo/statestore"
)

// SyncRunner runs a topology in the calling goroutine, with one task per subtopology
// (every topic has one partition, 0) and a caller-supplied collector. It is the engine of
// runtime/ttd, the test driver; applications use App. It is not safe for concurrent use.
type SyncRunner struct {
	env     *taskEnv
	tasks   []*task
	byTopic map[string]*task
	ctr     counters
	db      *statestore.DB
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
	var db *statestore.DB
	if len(t.stores) > 0 {
		var err error
		if db, err = statestore.Open("", statestore.InMemory(), statestore.Logger(cfg.log)); err != nil {
			return nil, fmt.Errorf("open in-memory state: %w", err)
		}
		s.db = db
	}
	s.env = &taskEnv{
		appID:       appID,
		log:         cfg.log,
		now:         cfg.now,
		collector:   c,
		counters:    &s.ctr,
		deserPolicy: cfg.deserPolicy,
		procPolicy:  cfg.procPolicy,
		topo:        t,
		db:          db,
	}
	for _, sub := range t.subtopologies() {
		tk, err := newTask(s.env, sub, 0, nil)
		if err == nil {
			err = tk.initProcessors()
		}
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
	if _, err := tk.process(1); err != nil {
		return err
	}
	if err := tk.flushProcessors(); err != nil {
		return err
	}
	// Like Kafka's TopologyTestDriver, commit after every record.
	return tk.commitStores()
}

// Punctuate runs the wall-clock punctuators that are due at the runner's clock.
func (s *SyncRunner) Punctuate() error {
	now := s.env.now().UnixMilli()
	var errs []error
	for _, tk := range s.tasks {
		if err := tk.punctuate(WallClockTime, now); err != nil {
			errs = append(errs, err)
		}
		if err := tk.commitStores(); err != nil {
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
	if s.db != nil {
		errs = append(errs, s.db.Close())
		s.db = nil
	}
	return errors.Join(errs...)
}

// KeyValueStore returns the key-value store name of the task of subtopology sub (partition
// 0), for tests that inspect state; nil if there is none.
func (s *SyncRunner) KeyValueStore(name string) *statestore.KeyValue {
	for _, tk := range s.tasks {
		if tk.state != nil {
			if st := tk.state.stores[name]; st != nil {
				return st.kv
			}
		}
	}
	return nil
}

// SessionStore is KeyValueStore for session stores.
func (s *SyncRunner) SessionStore(name string) *statestore.SessionStore {
	for _, tk := range s.tasks {
		if tk.state != nil {
			if st := tk.state.stores[name]; st != nil {
				return st.session
			}
		}
	}
	return nil
}

// WindowStore is KeyValueStore for window stores.
func (s *SyncRunner) WindowStore(name string) *statestore.Window {
	for _, tk := range s.tasks {
		if tk.state != nil {
			if st := tk.state.stores[name]; st != nil {
				return st.window
			}
		}
	}
	return nil
}
