package engine

import (
	"errors"
	"fmt"

	"github.com/ksqlgo/ksqlgo/runtime"
	"github.com/ksqlgo/ksqlgo/runtime/ttd"
)

// DriverRunner runs persistent queries on the test driver, without a broker: records
// piped into a topic flow through every query reading it, and a query's output flows on
// into the queries reading its sink, synchronously. Topics are kept in memory.
type DriverRunner struct {
	drivers map[string]*ttd.Driver // by query id
	queries []*Query
	topics  map[string][]ttd.Record
}

// NewDriverRunner returns an empty DriverRunner.
func NewDriverRunner() *DriverRunner {
	return &DriverRunner{drivers: map[string]*ttd.Driver{}, topics: map[string][]ttd.Record{}}
}

// StartQuery builds the query's driver. A source table's query (KindSourceTable) first
// reads the records already in its topic, as it reads the topic from its beginning.
func (r *DriverRunner) StartQuery(q *Query) error {
	d, err := ttd.New(q.Topology, ttd.AppID("_confluent-ksql-default_query_"+q.ID),
		ttd.RuntimeOpts(runtime.OnProcessingError(runtime.LogAndContinue()), runtime.OnDeserializationError(runtime.LogAndContinue())))
	if err != nil {
		return err
	}
	if q.Kind == KindSourceTable {
		for _, topic := range q.Sources {
			for _, rec := range r.topics[topic] {
				if err := d.Pipe(topic, rec.Key, rec.Value, rec.Timestamp, rec.Headers...); err != nil {
					return errors.Join(fmt.Errorf("%s: %w", q.ID, err), d.Close())
				}
			}
		}
	}
	r.drivers[q.ID] = d
	r.queries = append(r.queries, q)
	return nil
}

// StopQuery closes the query's driver.
func (r *DriverRunner) StopQuery(q *Query) error {
	d := r.drivers[q.ID]
	delete(r.drivers, q.ID)
	for i, x := range r.queries {
		if x.ID == q.ID {
			r.queries = append(r.queries[:i], r.queries[i+1:]...)
			break
		}
	}
	if d != nil {
		return d.Close()
	}
	return nil
}

// Produce pipes an INSERT VALUES record.
func (r *DriverRunner) Produce(rec Record) error {
	return r.Pipe(rec.Topic, rec.Key, rec.Value, rec.Timestamp, rec.Headers...)
}

// CreateTopic is a no-op: topics exist when written.
func (r *DriverRunner) CreateTopic(string, int) error { return nil }

// Pipe writes a record to topic and runs every query it reaches.
func (r *DriverRunner) Pipe(topic string, key, value []byte, ts int64, headers ...runtime.Header) error {
	r.topics[topic] = append(r.topics[topic], ttd.Record{Topic: topic, Key: key, Value: value, Timestamp: ts, Headers: headers})
	for _, q := range r.queries {
		reads := false
		for _, t := range q.Sources {
			reads = reads || t == topic
		}
		if !reads {
			continue
		}
		d := r.drivers[q.ID]
		if err := d.Pipe(topic, key, value, ts, headers...); err != nil {
			return fmt.Errorf("%s: %w", q.ID, err)
		}
		for _, out := range d.ReadOutput(q.SinkTopic) {
			if err := r.Pipe(q.SinkTopic, out.Key, out.Value, out.Timestamp, out.Headers...); err != nil {
				return err
			}
		}
	}
	return nil
}

// Metrics returns the runtime metrics of a query's driver.
func (r *DriverRunner) Metrics(queryID string) (runtime.Metrics, bool) {
	d := r.drivers[queryID]
	if d == nil {
		return runtime.Metrics{}, false
	}
	return d.Metrics(), true
}

// Output returns every record written to topic so far.
func (r *DriverRunner) Output(topic string) []ttd.Record { return r.topics[topic] }

// Close closes every driver.
func (r *DriverRunner) Close() error {
	for _, q := range append([]*Query(nil), r.queries...) {
		if err := r.StopQuery(q); err != nil {
			return err
		}
	}
	return nil
}

// ReadTopic returns every record written to topic so far (TopicReader).
func (r *DriverRunner) ReadTopic(topic string) ([]Record, error) {
	recs := r.topics[topic]
	out := make([]Record, len(recs))
	for i, x := range recs {
		out[i] = Record{Topic: topic, Key: x.Key, Value: x.Value, Timestamp: x.Timestamp, Headers: x.Headers}
	}
	return out, nil
}

var _ TopicReader = (*DriverRunner)(nil)

// Replay pipes the records already in q's source topics into q alone (oldest first, topic
// by topic in q.Sources order), as a query reading from the earliest offset sees them,
// and forwards its output to the queries reading its sink.
func (r *DriverRunner) Replay(q *Query) error {
	d := r.drivers[q.ID]
	if d == nil {
		return fmt.Errorf("query %s is not running", q.ID)
	}
	for _, topic := range q.Sources {
		for _, rec := range append([]ttd.Record(nil), r.topics[topic]...) {
			if err := d.Pipe(topic, rec.Key, rec.Value, rec.Timestamp, rec.Headers...); err != nil {
				return fmt.Errorf("%s: %w", q.ID, err)
			}
			for _, out := range d.ReadOutput(q.SinkTopic) {
				if err := r.Pipe(q.SinkTopic, out.Key, out.Value, out.Timestamp, out.Headers...); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// StoreGet returns the value of key in a query's key-value store (StoreReader).
func (r *DriverRunner) StoreGet(queryID, store string, key []byte) ([]byte, error) {
	d := r.drivers[queryID]
	if d == nil {
		return nil, ErrStoreUnavailable
	}
	return d.Get(store, key)
}

// StoreAll calls fn for every entry of a query's key-value store (StoreReader).
func (r *DriverRunner) StoreAll(queryID, store string, fn func(key, value []byte) bool) error {
	d := r.drivers[queryID]
	if d == nil {
		return ErrStoreUnavailable
	}
	return d.All(store, fn)
}

// StoreWindowAll calls fn for every window of a query's window store (StoreReader).
func (r *DriverRunner) StoreWindowAll(queryID, store string, fn func(key []byte, start int64, value []byte) bool) error {
	d := r.drivers[queryID]
	if d == nil {
		return ErrStoreUnavailable
	}
	return d.WindowAll(store, fn)
}

// StoreSessionAll calls fn for every session of a query's session store (StoreReader).
func (r *DriverRunner) StoreSessionAll(queryID, store string, fn func(key []byte, start, end int64, value []byte) bool) error {
	d := r.drivers[queryID]
	if d == nil {
		return ErrStoreUnavailable
	}
	return d.SessionAll(store, fn)
}

var _ StoreReader = (*DriverRunner)(nil)
