package runtime

import (
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/ksqlgo/ksqlgo/statestore"
)

// StoreKind is the kind of a state store.
type StoreKind int

const (
	// KeyValueStore maps keys to values (tables, non-windowed aggregates).
	KeyValueStore StoreKind = iota
	// WindowStore maps (key, window start) to values (windowed aggregates, joins).
	WindowStore
	// SessionStore maps (key, session start, session end) to values.
	SessionStore
)

func (k StoreKind) String() string {
	switch k {
	case KeyValueStore:
		return "key-value"
	case WindowStore:
		return "window"
	case SessionStore:
		return "session"
	}
	return "unknown"
}

// StoreSpec describes a state store. Every task of the subtopology that uses the store has
// its own partition of it, kept in the application's Badger database and, unless
// DisableChangelog, written to the compacted changelog topic "<application id>-<name>-changelog"
// (partition = task partition) so that it can be restored on another instance.
type StoreSpec struct {
	Name string
	Kind StoreKind
	// Retention bounds how long window and session stores keep windows, measured in stream
	// time (0: one day, Kafka Streams' default).
	Retention time.Duration
	// DisableChangelog keeps the store local only: it is lost when its task moves.
	DisableChangelog bool
	// SourceTopic makes the store a source table's: the input topic serves as its changelog,
	// and nothing is written to a separate changelog topic.
	SourceTopic string
	// OwnStreamTime makes a window store expire its windows on the stream time of its own
	// writes (the largest window start put), as Kafka Streams' segmented stores do, not
	// on the task's: a join store must keep one side's records by that side's time.
	OwnStreamTime bool
}

// ChangelogTopic is the internal topic name (before the application id prefix) of store.
func ChangelogTopic(store string) string { return store + "-changelog" }

// AddStateStore registers a store and connects it to processors (which must exist).
func (t *Topology) AddStateStore(spec StoreSpec, processors ...string) error {
	if spec.Name == "" {
		return errors.New("state store name must not be empty")
	}
	if _, dup := t.stores[spec.Name]; dup {
		return fmt.Errorf("state store %q is already added", spec.Name)
	}
	if spec.Kind < KeyValueStore || spec.Kind > SessionStore {
		return fmt.Errorf("state store %q: unknown kind %d", spec.Name, spec.Kind)
	}
	if spec.Retention < 0 {
		return fmt.Errorf("state store %q: negative retention %v", spec.Name, spec.Retention)
	}
	if spec.Retention == 0 {
		spec.Retention = 24 * time.Hour
	}
	t.stores[spec.Name] = &spec
	t.storeOrder = append(t.storeOrder, spec.Name)
	if err := statestore.ValidateStoreName(spec.Name); err != nil {
		return fmt.Errorf("state store %q: %w", spec.Name, err)
	}
	if !spec.DisableChangelog && spec.SourceTopic == "" {
		cfg := map[string]string{"cleanup.policy": "compact"}
		if spec.Kind != KeyValueStore {
			// Windows expire: as Kafka Streams does, delete changelog records a day after
			// the store's retention, and compact before that.
			cfg = map[string]string{
				"cleanup.policy": "compact,delete",
				"retention.ms":   strconv.FormatInt((spec.Retention + 24*time.Hour).Milliseconds(), 10),
			}
		}
		if err := t.AddInternalTopic(ChangelogTopic(spec.Name), InternalTopic{Configs: cfg}); err != nil {
			return err
		}
		t.changelogOf[ChangelogTopic(spec.Name)] = spec.Name
	}
	return t.ConnectStore(spec.Name, processors...)
}

// ConnectStore gives processors access to an added store. Processors sharing a store run in
// the same subtopology (and task).
func (t *Topology) ConnectStore(store string, processors ...string) error {
	if _, ok := t.stores[store]; !ok {
		return fmt.Errorf("state store %q is not added", store)
	}
	for _, name := range processors {
		n, ok := t.nodes[name]
		if !ok || n.kind != processorNode {
			return fmt.Errorf("connect state store %q: %q is not a processor", store, name)
		}
		n.stores = append(n.stores, store)
	}
	t.subs = nil
	return nil
}

// storeSub returns the subtopology holding store, or nil if no processor uses it.
func (t *Topology) storeSub(store string) *subtopology {
	for _, s := range t.subtopologies() {
		for _, n := range s.nodes {
			for _, st := range n.stores {
				if st == store {
					return s
				}
			}
		}
	}
	return nil
}
