package engine

import (
	"fmt"

	"github.com/ksqlgo/ksqlgo/dsl"
	"github.com/ksqlgo/ksqlgo/serde"
	"github.com/ksqlgo/ksqlgo/sql/types"
)

// aggregateStore names the key-value store of an aggregation: the grouping key
// (internalSerde) -> the timestamp of its last update and its aggregation state
// (internalSerde), in dsl.EncodeMaterialized's layout, as the dsl aggregations write it.
const aggregateStore = "Aggregate-Aggregate-Materialize"

// aggregateRead is how a pull query reads the table of a non-windowed aggregation from the
// aggregation's store, as ksqlDB does: HAVING and the projection are applied on read, so
// the query needs no second store materializing its sink.
type aggregateRead struct {
	p            *aggPlan
	topic        string
	keys, values serde.Serde[[]any] // the sink's
}

// newAggregateRead returns the reader of p's store for sink.
func newAggregateRead(p *aggPlan, sink *Source) (*aggregateRead, error) {
	kc, vc, err := codecs(sink)
	if err != nil {
		return nil, stmtErr("%v", err)
	}
	return &aggregateRead{p: p, topic: sink.Topic, keys: keySerde(kc, nil), values: rowSerde(vc)}, nil
}

// storeKey returns the store key of a key of the sink topic.
func (a *aggregateRead) storeKey(sinkKey []byte) ([]byte, error) {
	row, err := a.keys.Deserialize(a.topic, sinkKey)
	if err != nil {
		return nil, fmt.Errorf("deserialize key: %w", err)
	}
	return types.EncodeRow(row), nil
}

// record returns the record the sink topic holds for a store entry: its serialized key and
// value and its timestamp; ok is false when the entry has no row in the table (HAVING
// does not hold, or its key is null).
func (a *aggregateRead) record(storeKey, storeValue []byte) (key, value []byte, ts int64, ok bool, err error) {
	k, err := types.DecodeRow(storeKey)
	if err != nil {
		return nil, nil, 0, false, fmt.Errorf("store %q: key: %w", aggregateStore, err)
	}
	ts, sb, err := dsl.DecodeMaterialized(storeValue)
	if err != nil {
		return nil, nil, 0, false, fmt.Errorf("store %q: %w", aggregateStore, err)
	}
	st, err := types.DecodeRow(sb)
	if err != nil {
		return nil, nil, 0, false, fmt.Errorf("store %q: value: %w", aggregateStore, err)
	}
	row := a.p.sinkValue(k, st)
	if row == nil {
		return nil, nil, 0, false, nil
	}
	if key, err = a.keys.Serialize(a.topic, k); err != nil || len(key) == 0 {
		return nil, nil, 0, false, err
	}
	if value, err = a.values.Serialize(a.topic, row); err != nil || value == nil {
		return nil, nil, 0, false, err
	}
	return key, value, ts, true, nil
}
