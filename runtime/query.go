package runtime

import (
	"context"
	"errors"
	"fmt"
	"math"
	"slices"

	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/ksqlgo/ksqlgo/statestore"
)

// Interactive queries: read-only access from the application to the committed contents of
// its local store partitions (what the last commit made durable, at most one commit
// interval behind processing), and the metadata that says where a key lives.

// ErrNotLocal is returned by queries for a key whose partition this instance does not own.
var ErrNotLocal = errors.New("the key's partition is not owned by this instance")

// KeyMetadata says where a key of a store lives.
type KeyMetadata struct {
	Store     string
	Partition int32
	// Local is true when this instance owns the partition's task.
	Local bool
	// Instance and Endpoint name the owning instance (from the group's assignment), when
	// known; Endpoint is the owner's Endpoint option ("" if it set none).
	Instance, Endpoint string
}

// storePartitions returns the store's subtopology and its partition count.
func (a *App) storePartitions(store string) (*subtopology, int32, error) {
	if _, ok := a.topo.stores[store]; !ok {
		return nil, 0, fmt.Errorf("no state store %q in the topology", store)
	}
	sub := a.topo.storeSub(store)
	if sub == nil {
		return nil, 0, fmt.Errorf("state store %q is used by no processor", store)
	}
	a.mu.Lock()
	partitions := a.partitions // never changed once set
	a.mu.Unlock()
	if partitions == nil {
		return nil, 0, errors.New("the application is not running")
	}
	var n int32
	for _, t := range a.subTopics[sub.id] {
		n = max(n, partitions[t])
	}
	return sub, n, nil
}

// owns reports whether this instance runs task id.
func (a *App) owns(id TaskID) bool {
	return slices.Contains(a.Tasks(), id)
}

// KeyMetadata returns the partition of key (serialized as the store's input topic is
// keyed: Kafka's default partitioner) and the instance that owns it, asking the group
// coordinator when another instance does.
func (a *App) KeyMetadata(ctx context.Context, store string, key []byte) (KeyMetadata, error) {
	sub, n, err := a.storePartitions(store)
	if err != nil {
		return KeyMetadata{}, err
	}
	md := KeyMetadata{Store: store, Partition: int32(KeyPartition(key, int(n)))}
	id := TaskID{Subtopology: sub.id, Partition: md.Partition}
	if a.owns(id) {
		md.Local, md.Instance, md.Endpoint = true, a.instance, a.cfg.endpoint
		return md, nil
	}
	owner, endpoint, err := a.ownerOf(ctx, a.subTopics[sub.id], md.Partition)
	if err != nil {
		return md, err
	}
	md.Instance, md.Endpoint = owner, endpoint
	return md, nil
}

// ownerOf asks the coordinator which member owns partition p of one of topics.
func (a *App) ownerOf(ctx context.Context, topics []string, p int32) (instance, endpoint string, err error) {
	cl, err := kgo.NewClient(append([]kgo.Opt{kgo.SeedBrokers(a.cfg.brokers...)}, a.cfg.clientOpts...)...)
	if err != nil {
		return "", "", err
	}
	defer cl.Close()
	groups, err := kadm.NewClient(cl).DescribeGroups(ctx, a.cfg.appID)
	if err != nil {
		return "", "", fmt.Errorf("describe group %q: %w", a.cfg.appID, err)
	}
	g, ok := groups[a.cfg.appID]
	if !ok || g.Err != nil {
		return "", "", fmt.Errorf("describe group %q: %v", a.cfg.appID, g.Err)
	}
	for _, m := range g.Members {
		assigned, ok := m.Assigned.AsConsumer()
		if !ok {
			continue
		}
		for _, t := range assigned.Topics {
			if !slices.Contains(topics, t.Topic) || !slices.Contains(t.Partitions, p) {
				continue
			}
			if meta, ok := m.Join.AsConsumer(); ok {
				info := parseMemberInfo(meta.UserData)
				instance, endpoint = info.instance, info.endpoint
			}
			return instance, endpoint, nil
		}
	}
	return "", "", fmt.Errorf("no member of group %q owns partition %d", a.cfg.appID, p)
}

// readStore runs fn on a read-only view of (store, partition).
func (a *App) readStore(store string, p int32, fn func(s *statestore.Session) error) error {
	a.mu.Lock()
	db := a.db
	a.mu.Unlock()
	if db == nil {
		return errors.New("the application has no state")
	}
	sess := db.Begin()
	defer sess.Discard()
	return fn(sess)
}

// localPartitions returns the partitions of store this instance owns.
func (a *App) localPartitions(store string) ([]int32, error) {
	sub, _, err := a.storePartitions(store)
	if err != nil {
		return nil, err
	}
	var out []int32
	for _, id := range a.Tasks() {
		if id.Subtopology == sub.id {
			out = append(out, id.Partition)
		}
	}
	return out, nil
}

// OwnsAllPartitions reports whether this instance owns every partition of store: then
// All, WindowAll and SessionAll see the whole store, not a part of it.
func (a *App) OwnsAllPartitions(store string) (bool, error) {
	_, n, err := a.storePartitions(store)
	if err != nil {
		return false, err
	}
	local, err := a.localPartitions(store)
	if err != nil {
		return false, err
	}
	return int32(len(local)) >= n, nil
}

// Get returns the committed value of key in key-value store name (nil if absent), or an
// error wrapping ErrNotLocal when another instance owns the key's partition.
func (a *App) Get(ctx context.Context, store string, key []byte) ([]byte, error) {
	md, err := a.KeyMetadata(ctx, store, key)
	if err != nil {
		return nil, err
	}
	if !md.Local {
		return nil, fmt.Errorf("store %q key partition %d (owner %q at %q): %w", store, md.Partition, md.Instance, md.Endpoint, ErrNotLocal)
	}
	var v []byte
	err = a.readStore(store, md.Partition, func(s *statestore.Session) error {
		var err error
		v, err = statestore.NewKeyValue(s, store, md.Partition, nil).Get(key)
		return err
	})
	return v, err
}

// scanLocal runs scan on the committed state of every local partition of store name, in
// turn, until scan fails or the callback it wraps asks to stop: scan passes each answer
// of that callback through more, which returns it and remembers a false one.
func (a *App) scanLocal(store string, scan func(s *statestore.Session, p int32, more func(bool) bool) error) error {
	ps, err := a.localPartitions(store)
	if err != nil {
		return err
	}
	for _, p := range ps {
		stop := false
		more := func(ok bool) bool {
			stop = !ok
			return ok
		}
		err := a.readStore(store, p, func(s *statestore.Session) error { return scan(s, p, more) })
		if err != nil || stop {
			return err
		}
	}
	return nil
}

// Range calls fn for the committed entries of key-value store name with from <= key <= to
// (nil: unbounded) in every local partition, partition by partition, each in key order.
func (a *App) Range(store string, from, to []byte, fn func(key, value []byte) bool) error {
	return a.scanLocal(store, func(s *statestore.Session, p int32, more func(bool) bool) error {
		return statestore.NewKeyValue(s, store, p, nil).Range(from, to, func(k, v []byte) bool { return more(fn(k, v)) })
	})
}

// All calls fn for every committed entry of key-value store name in the local partitions.
func (a *App) All(store string, fn func(key, value []byte) bool) error {
	return a.Range(store, nil, nil, fn)
}

// WindowFetch calls fn for the committed windows of key with start in [from, to] in
// window store name; ErrNotLocal when another instance owns the key.
func (a *App) WindowFetch(ctx context.Context, store string, key []byte, from, to int64, fn func(start int64, value []byte) bool) error {
	md, err := a.KeyMetadata(ctx, store, key)
	if err != nil {
		return err
	}
	if !md.Local {
		return fmt.Errorf("store %q key partition %d (owner %q): %w", store, md.Partition, md.Instance, ErrNotLocal)
	}
	spec := a.topo.stores[store]
	return a.readStore(store, md.Partition, func(s *statestore.Session) error {
		return statestore.NewWindow(s, store, md.Partition, spec.Retention, nil).Fetch(key, from, to, fn)
	})
}

// WindowAll calls fn for every committed window of window store name in the local
// partitions, partition by partition, each in ascending order of key then window start,
// until fn returns false. key and value are valid only during the call.
func (a *App) WindowAll(store string, fn func(key []byte, start int64, value []byte) bool) error {
	spec := a.topo.stores[store]
	return a.scanLocal(store, func(s *statestore.Session, p int32, more func(bool) bool) error {
		return statestore.NewWindow(s, store, p, spec.Retention, nil).FetchAll(math.MinInt64, math.MaxInt64, func(k []byte, start int64, v []byte) bool {
			return more(fn(k, start, v))
		})
	})
}

// SessionAll calls fn for every committed session of session store name in the local
// partitions, partition by partition, each in ascending order of key, then end, then
// start, until fn returns false. key and value are valid only during the call.
func (a *App) SessionAll(store string, fn func(key []byte, start, end int64, value []byte) bool) error {
	spec := a.topo.stores[store]
	return a.scanLocal(store, func(s *statestore.Session, p int32, more func(bool) bool) error {
		return statestore.NewSessionStore(s, store, p, spec.Retention, nil).All(func(k []byte, start, end int64, v []byte) bool {
			return more(fn(k, start, end, v))
		})
	})
}

// GetLocal returns the committed value of key in key-value store name from the local
// partition holding it, looking in every local partition (nil if none holds it). It serves
// stores whose keys are not partitioned as their task's input is (a store written after
// a re-keying, under other key bytes), where Get cannot compute the partition. It returns
// ErrNotLocal when this instance owns no partition of the store (not running yet, or
// between assignments).
func (a *App) GetLocal(store string, key []byte) ([]byte, error) {
	ps, err := a.localPartitions(store)
	if err != nil {
		return nil, err
	}
	if len(ps) == 0 {
		return nil, fmt.Errorf("store %q: %w", store, ErrNotLocal)
	}
	for _, p := range ps {
		var v []byte
		err := a.readStore(store, p, func(s *statestore.Session) error {
			var err error
			v, err = statestore.NewKeyValue(s, store, p, nil).Get(key)
			return err
		})
		if err != nil || v != nil {
			return v, err
		}
	}
	return nil, nil
}

// HasStore reports whether the topology has a state store named name.
func (t *Topology) HasStore(name string) bool {
	_, ok := t.stores[name]
	return ok
}

// LocalPartitions returns the partitions of store this instance owns now, sorted; none
// while the application is not running or between assignments.
func (a *App) LocalPartitions(store string) ([]int32, error) {
	ps, err := a.localPartitions(store)
	slices.Sort(ps)
	return ps, err
}
