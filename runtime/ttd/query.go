package ttd

import "fmt"

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
