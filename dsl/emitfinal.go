package dsl

import (
	"bytes"
	"fmt"
	"sort"

	"github.com/ksqlgo/ksqlgo/runtime"
)

// EmitOnWindowClose makes the aggregation of ws emit each window once, with its final
// value, when it closes, instead of an update per record (Kafka Streams'
// EmitStrategy.onWindowClose, KIP-825, which ksqlDB's EMIT FINAL uses). Tumbling and
// hopping windows only: using it on sliding windows is a Build error.
//
// After each record, once the window close time (observed stream time - grace) has
// passed a window's end since the last emission, the aggregation emits the windows of
// every key that closed since then, in order of window start then serialized key, with
// the largest timestamp of each window's records, as Kafka Streams does: only windows
// still visible in the window store are emitted, those starting at or after the largest
// window start written minus the store's retention (size + grace by default). So a window
// whose records stopped long before stream time jumped ahead can expire unemitted, as it
// does in Kafka Streams. Windows are not re-read from the store after a task moves: the
// last emission time lives in memory, so a restarted task may emit a closed window again.
func (ws WindowedStream[K, V]) EmitOnWindowClose() WindowedStream[K, V] {
	ws.final = true
	return ws
}

// emitClosed forwards the windows closed since the last emission (Kafka's
// AbstractKStreamTimeWindowAggregateProcessor.maybeForwardFinalResult with
// KStreamWindowAggregate's emit range). r is the record just processed.
func (p *windowAgg[K, V, VA]) emitClosed(r runtime.Record, closeTime int64) error {
	if p.lastEmit >= 0 && p.lastEmit >= closeTime {
		return nil // the close time did not progress
	}
	size := p.w.size
	upper := closeTime - size // the largest start of a closed window
	if upper < 0 {
		return nil
	}
	lower := int64(0)
	if p.lastEmit >= 0 {
		lower = max(0, p.lastEmit-size)
		if p.windowsFor(upper) == p.windowsFor(lower) {
			return nil // no window closed since the last emission
		}
	}
	from := max(lower, p.maxStart-p.w.Retention().Milliseconds())
	type closed struct {
		key   []byte
		start int64
		value []byte
	}
	var wins []closed
	if from <= upper {
		if err := p.ws.FetchAll(from, upper, func(key []byte, start int64, value []byte) bool {
			wins = append(wins, closed{key: bytes.Clone(key), start: start, value: bytes.Clone(value)})
			return true
		}); err != nil {
			return err
		}
	}
	sort.SliceStable(wins, func(i, j int) bool {
		if wins[i].start != wins[j].start {
			return wins[i].start < wins[j].start
		}
		return bytes.Compare(wins[i].key, wins[j].key) < 0
	})
	for _, w := range wins {
		k, err := p.ks.Deserialize(p.store, w.key)
		if err != nil {
			return fmt.Errorf("store %q: stored key: %w", p.store, err)
		}
		agg, ts, err := p.decodeAgg(w.value)
		if err != nil {
			return err
		}
		p.ctx.Forward(runtime.Record{
			Key:       Windowed[K]{Key: k, Start: w.start, End: w.start + size},
			Value:     change{new: toAny(agg)},
			Timestamp: ts,
			Headers:   r.Headers,
		})
	}
	p.lastEmit = closeTime
	return nil
}

// windowsFor identifies the time windows a timestamp falls in by their first and last
// starts (Kafka's TimeWindows.windowsFor).
func (p *windowAgg[K, V, VA]) windowsFor(ts int64) [2]int64 {
	size, advance := p.w.size, p.w.advance
	return [2]int64{max(0, ts-size+advance) / advance * advance, ts / advance * advance}
}
