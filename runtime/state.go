package runtime

import (
	"fmt"

	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/ksqlgo/ksqlgo/statestore"
)

// taskStore is one partition of a state store, owned by a task.
type taskStore struct {
	spec      *StoreSpec
	changelog string // resolved changelog topic ("" if none); the input topic for source tables
	kv        *statestore.KeyValue
	window    *statestore.Window
	session   *statestore.SessionStore
	last      *kgo.Record // last changelog record sent since the previous commit
	restored  int64       // offset restored up to (next offset), for source-table checkpoints
}

// stateManager holds a task's stores and the Badger session their writes go to between
// commits. The session commits together with the changelog checkpoint (see commitStores).
type stateManager struct {
	t      *task
	db     *statestore.DB
	sess   *statestore.Session
	stores map[string]*taskStore
	order  []*taskStore
}

// LogChange implements statestore.ChangeLogger: every store write goes to the changelog
// partition of the task through the thread's collector.
func (m *stateManager) LogChange(store string, partition int32, key, value []byte, ts int64) {
	st := m.stores[store]
	if st == nil || st.changelog == "" || st.spec.SourceTopic != "" {
		return
	}
	r := &kgo.Record{Topic: st.changelog, Partition: partition, Key: key, Value: value}
	r.Timestamp = msTime(ts)
	st.last = r
	m.t.commitNeeded = true
	m.t.env.collector.Send(r)
}

var _ statestore.ChangeLogger = (*stateManager)(nil)

// openStores creates the task's store partitions. Called before processors are initialised.
func (t *task) openStores() error {
	var names []string
	seen := map[string]bool{}
	for _, n := range t.sub.nodes {
		for _, s := range n.stores {
			if !seen[s] {
				seen[s] = true
				names = append(names, s)
			}
		}
	}
	if len(names) == 0 {
		return nil
	}
	if t.env.db == nil {
		return fmt.Errorf("task %s uses state stores %q but the application has no state directory", t.id, names)
	}
	m := &stateManager{t: t, db: t.env.db, stores: map[string]*taskStore{}}
	m.sess = m.db.Begin()
	p := t.id.Partition
	for _, name := range names {
		spec := t.env.topo.stores[name]
		st := &taskStore{spec: spec}
		switch {
		case spec.SourceTopic != "":
			st.changelog = t.env.resolve(spec.SourceTopic)
		case !spec.DisableChangelog:
			st.changelog = t.env.resolve(ChangelogTopic(name))
		}
		var log statestore.ChangeLogger = m
		switch spec.Kind {
		case KeyValueStore:
			st.kv = statestore.NewKeyValue(m.sess, name, p, log)
		case WindowStore:
			st.window = statestore.NewWindow(m.sess, name, p, spec.Retention, log)
		case SessionStore:
			st.session = statestore.NewSessionStore(m.sess, name, p, spec.Retention, log)
		}
		m.stores[name] = st
		m.order = append(m.order, st)
	}
	t.state = m
	return nil
}

// commitStores makes the store writes since the last commit durable together with the
// changelog offsets they correspond to. The collector must have been flushed (so that the
// changelog records' offsets are known).
func (t *task) commitStores() error {
	m := t.state
	if m == nil {
		return nil
	}
	cps := map[statestore.Partition]int64{}
	for _, st := range m.order {
		switch {
		case st.spec.SourceTopic != "":
			if q := t.queue(st.changelog); q != nil && q.next >= 0 {
				cps[statestore.Partition{Store: st.spec.Name, Partition: t.id.Partition}] = q.next
			}
		case st.last != nil:
			cps[statestore.Partition{Store: st.spec.Name, Partition: t.id.Partition}] = st.last.Offset + 1
			st.last = nil
		}
		if t.streamTime >= 0 {
			var err error
			switch {
			case st.window != nil && st.spec.OwnStreamTime:
				err = st.window.Expire(st.window.ObservedStreamTime())
			case st.window != nil:
				err = st.window.Expire(t.streamTime)
			case st.session != nil:
				err = st.session.Expire(t.streamTime)
			}
			if err != nil {
				return fmt.Errorf("expire store %q of task %s: %w", st.spec.Name, t.id, err)
			}
		}
	}
	if err := m.sess.Commit(cps); err != nil {
		return fmt.Errorf("commit stores of task %s: %w", t.id, err)
	}
	return nil
}

// needsCommit reports whether the task's store session should be committed early.
func (t *task) needsCommit() bool { return t.state != nil && t.state.sess.NeedsCommit() }

// closeStores drops uncommitted writes (they were either committed just before, or the
// task was lost and its changelog is the truth).
func (t *task) closeStores() {
	if t.state != nil {
		t.state.sess.Discard()
		t.state = nil
	}
}

// KeyValueStore returns the task's partition of key-value store name, or nil if the
// processor is not connected to such a store.
func (c *ProcessorContext) KeyValueStore(name string) *statestore.KeyValue {
	if st := c.store(name); st != nil {
		return st.kv
	}
	return nil
}

// WindowStore returns the task's partition of window store name, or nil.
func (c *ProcessorContext) WindowStore(name string) *statestore.Window {
	if st := c.store(name); st != nil {
		return st.window
	}
	return nil
}

// SessionStore returns the task's partition of session store name, or nil.
func (c *ProcessorContext) SessionStore(name string) *statestore.SessionStore {
	if st := c.store(name); st != nil {
		return st.session
	}
	return nil
}

func (c *ProcessorContext) store(name string) *taskStore {
	if c.task.state == nil {
		return nil
	}
	for _, s := range c.node.def.stores {
		if s == name {
			return c.task.state.stores[name]
		}
	}
	return nil
}
