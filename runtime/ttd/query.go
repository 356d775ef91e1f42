package ttd

import (
	"fmt"
	"math"
)

// Interactive queries on the driver's stores, as runtime.App offers on committed local
// state. The driver commits after every piped record, so they see everything processed.

// Get returns the value of key in key-value store name, nil if absent.
func (d *Driver) Get(store string, key []byte) ([]byte, error) {
	kv := d.runner.KeyValueStore(store)
	if kv == nil {
		return nil, fmt.Errorf("no key-value state store %q in the topology", store)
	}
	return kv.Get(key)
}

// Range calls fn for the entries of key-value store name with from <= key <= to (nil:
// unbounded), in key order, until fn returns false.
func (d *Driver) Range(store string, from, to []byte, fn func(key, value []byte) bool) error {
	kv := d.runner.KeyValueStore(store)
	if kv == nil {
		return fmt.Errorf("no key-value state store %q in the topology", store)
	}
	return kv.Range(from, to, fn)
}

// All calls fn for every entry of key-value store name, in key order, until fn returns
// false.
func (d *Driver) All(store string, fn func(key, value []byte) bool) error {
	return d.Range(store, nil, nil, fn)
}

// WindowAll calls fn for every window of window store name, in ascending order of key then
// window start, until fn returns false.
func (d *Driver) WindowAll(store string, fn func(key []byte, start int64, value []byte) bool) error {
	w := d.runner.WindowStore(store)
	if w == nil {
		return fmt.Errorf("no window state store %q in the topology", store)
	}
	return w.FetchAll(math.MinInt64, math.MaxInt64, fn)
}

// SessionAll calls fn for every session of session store name, in ascending order of key,
// then end, then start, until fn returns false.
func (d *Driver) SessionAll(store string, fn func(key []byte, start, end int64, value []byte) bool) error {
	ss := d.runner.SessionStore(store)
	if ss == nil {
		return fmt.Errorf("no session state store %q in the topology", store)
	}
	return ss.All(fn)
}
