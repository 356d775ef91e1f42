package engine

import (
	"fmt"

	"github.com/ksqlgo/ksqlgo/dsl"
	"github.com/ksqlgo/ksqlgo/serde"
	"github.com/ksqlgo/ksqlgo/sql/parser"
	"github.com/ksqlgo/ksqlgo/sql/types"
)

// aggregateStore names the store of an aggregation (key-value, or window or session store
// for a windowed one): the grouping key (internalSerde, and its window) -> the timestamp of its last update and its aggregation state
// (internalSerde), in dsl.EncodeMaterialized's layout, as the dsl aggregations write it.
const aggregateStore = "Aggregate-Aggregate-Materialize"

// aggregateRead is how a pull query reads the table of an aggregation from the
// aggregation's store, as ksqlDB does: HAVING and the projection are applied on read, so
// the query needs no second store materializing its sink. A windowed aggregation's store
// is a window store (tumbling and hopping windows) or a session store.
type aggregateRead struct {
	p            *aggPlan
	topic        string
	keys, values serde.Serde[[]any] // the sink's
	// session and size describe a windowed aggregation's store: a session store, or a
	// window store of windows size milliseconds long; both zero when not windowed.
	session bool
	size    int64
}

// newAggregateRead returns the reader of p's store for sink.
func newAggregateRead(p *aggPlan, sink *Source) (*aggregateRead, error) {
	kc, vc, err := codecs(sink)
	if err != nil {
		return nil, stmtErr("%v", err)
	}
	a := &aggregateRead{p: p, topic: sink.Topic, keys: keySerde(kc, sink.Window), values: rowSerde(vc)}
	if p.window != nil {
		a.session, a.size = p.window.Kind == parser.WindowSession, p.winInfo.Size
	}
	return a, nil
}

// windowed says whether the store is a window or session store.
func (a *aggregateRead) windowed() bool { return a.p.window != nil }

// storeKey returns the store key of a key of the sink topic (non-windowed).
func (a *aggregateRead) storeKey(sinkKey []byte) ([]byte, error) {
	row, err := a.keys.Deserialize(a.topic, sinkKey)
	if err != nil {
		return nil, fmt.Errorf("deserialize key: %w", err)
	}
	return types.EncodeRow(row), nil
}

// record returns the record the sink topic holds for an entry of a non-windowed
// aggregation's store: its serialized key and value and its timestamp; ok is false when
// the entry has no row in the table (HAVING does not hold, or its key is null).
func (a *aggregateRead) record(storeKey, storeValue []byte) (key, value []byte, ts int64, ok bool, err error) {
	return a.windowRecord(storeKey, nil, storeValue)
}

// windowRecord is record for the window of a windowed aggregation's store entry whose
// bounds are window (start, end); nil when not windowed.
func (a *aggregateRead) windowRecord(storeKey []byte, window []any, storeValue []byte) (key, value []byte, ts int64, ok bool, err error) {
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
	var row []any
	if window == nil {
		row = a.p.sinkValue(k, st)
	} else if st != nil {
		row = a.p.project(a.p.postRow(k, window[0], window[1], st))
		k = append(k, window...)
	}
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
