package engine

import (
	"bytes"
	"errors"
	"math"
	"slices"

	"github.com/ksqlgo/ksqlgo/dsl"
	"github.com/ksqlgo/ksqlgo/runtime"
	"github.com/ksqlgo/ksqlgo/sql/parser"
	"github.com/ksqlgo/ksqlgo/sql/types"
)

// StoreReader is implemented by runners that can read the key-value, window and session
// stores of their running queries (committed local state). A pull query on a table that
// its query materializes (Query.Store: a CREATE TABLE AS SELECT's query, or a CREATE
// SOURCE TABLE's CST query) reads the store instead of the table's topic.
type StoreReader interface {
	// StoreGet returns the value of key in store of query queryID, nil if absent.
	StoreGet(queryID, store string, key []byte) ([]byte, error)
	// StoreAll calls fn for every entry of store of query queryID until fn returns false.
	// key and value are valid only during the call.
	StoreAll(queryID, store string, fn func(key, value []byte) bool) error
	// StoreWindowAll calls fn for every window of window store store of query queryID
	// until fn returns false. key and value are valid only during the call.
	StoreWindowAll(queryID, store string, fn func(key []byte, start int64, value []byte) bool) error
	// StoreSessionAll calls fn for every session of session store store of query queryID
	// until fn returns false. key and value are valid only during the call.
	StoreSessionAll(queryID, store string, fn func(key []byte, start, end int64, value []byte) bool) error
}

// ErrStoreUnavailable is returned by a StoreReader when the store cannot answer now (its
// query is not running, or owns no partition of it yet); the pull query then reads the
// table's topic.
var ErrStoreUnavailable = errors.New("the query's state store is not available")

// maxLookupDisjuncts bounds the key lookups a WHERE clause expands to; beyond it a pull
// query scans.
const maxLookupDisjuncts = 1000

// pullRecords returns the records a pull query evaluates: the entries of the source's
// materialization store when it has one that can answer (looked up by key when the WHERE
// clause pins every key column, else scanned), or else every record of its topic.
func (e *Engine) pullRecords(p *pullPlan) ([]Record, error) {
	if q := e.materializer(p.src); q != nil {
		if sr, ok := e.Runner.(StoreReader); ok {
			recs, err := p.storeRecords(sr, q)
			if !errors.Is(err, ErrStoreUnavailable) {
				if err != nil {
					return nil, stmtErr("Pull query on %s failed reading its state store: %v", p.src.Name, err)
				}
				return recs, nil
			}
		}
	}
	reader, ok := e.Runner.(TopicReader)
	if !ok {
		return nil, stmtErr("Pull queries are not supported by this runner: it cannot read topics")
	}
	recs, err := reader.ReadTopic(p.src.Topic)
	if err != nil {
		return nil, stmtErr("Pull query on %s failed reading topic %s: %v", p.src.Name, p.src.Topic, err)
	}
	return recs, nil
}

// materializer returns the running query that materializes table src in a store, or nil.
func (e *Engine) materializer(src *Source) *Query {
	if !src.Table || src.Query == "" {
		return nil
	}
	for _, q := range e.queries {
		if q.ID == src.Query && q.Store != "" && q.SinkTopic == src.Topic {
			return q
		}
	}
	return nil
}

// storeRecords reads the plan's keys (all entries when it has none) from q's store as
// records of the source's topic. An aggregation's store is read through q.aggregate; its
// scan is sorted by the sink's key bytes, the order of a store keyed by them.
func (p *pullPlan) storeRecords(sr StoreReader, q *Query) ([]Record, error) {
	var out []Record
	add := func(key, v []byte) error {
		if q.aggregate != nil {
			k, value, ts, ok, err := q.aggregate.record(key, v)
			if ok {
				out = append(out, Record{Topic: p.src.Topic, Key: k, Value: value, Timestamp: ts})
			}
			return err
		}
		ts, value, err := dsl.DecodeMaterialized(v)
		if err != nil {
			return err
		}
		var headers []runtime.Header
		if q.Kind == KindSourceTable {
			if headers, value, err = decodeSourceValue(value); err != nil {
				return err
			}
			for i, h := range headers {
				headers[i].Value = bytes.Clone(h.Value)
			}
		}
		out = append(out, Record{Topic: p.src.Topic, Key: append([]byte(nil), key...), Value: append([]byte{}, value...), Timestamp: ts, Headers: headers})
		return nil
	}
	if q.aggregate != nil && q.aggregate.windowed() {
		return p.windowRecords(sr, q)
	}
	if p.keys == nil {
		var derr error
		err := sr.StoreAll(q.ID, q.Store, func(k, v []byte) bool {
			derr = add(k, v)
			return derr == nil
		})
		if q.aggregate != nil {
			slices.SortStableFunc(out, func(a, b Record) int { return bytes.Compare(a.Key, b.Key) })
		}
		return out, errors.Join(err, derr)
	}
	seen := map[string]bool{}
	for _, k := range p.keys {
		if seen[string(k)] {
			continue
		}
		seen[string(k)] = true
		sk := k
		if q.aggregate != nil {
			var err error
			if sk, err = q.aggregate.storeKey(k); err != nil {
				return nil, err
			}
		}
		v, err := sr.StoreGet(q.ID, q.Store, sk)
		if err != nil {
			return nil, err
		}
		if v == nil {
			continue
		}
		if err := add(sk, v); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// windowRecords reads every window of the window or session store of q's windowed
// aggregation as records of the source's topic, sorted by the sink's windowed key bytes,
// the order of a store keyed by them. A windowed table's pull query always scans.
func (p *pullPlan) windowRecords(sr StoreReader, q *Query) ([]Record, error) {
	a := q.aggregate
	var out []Record
	var derr error
	add := func(key []byte, start, end int64, v []byte) bool {
		k, value, ts, ok, err := a.windowRecord(key, []any{start, end}, v)
		if ok {
			out = append(out, Record{Topic: p.src.Topic, Key: k, Value: value, Timestamp: ts})
		}
		derr = err
		return err == nil
	}
	var err error
	if a.session {
		err = sr.StoreSessionAll(q.ID, q.Store, add)
	} else {
		err = sr.StoreWindowAll(q.ID, q.Store, func(key []byte, start int64, v []byte) bool {
			return add(key, start, start+a.size, v)
		})
	}
	slices.SortStableFunc(out, func(a, b Record) int { return bytes.Compare(a.Key, b.Key) })
	return out, errors.Join(err, derr)
}

// lookupKeys returns the serialized keys a pull query's WHERE clause pins, for a
// non-windowed table: when every disjunct of its disjunctive normal form compares every
// key column with '=' to an expression that references no column, the key of each
// disjunct, serialized as the table's topic is keyed. It returns nil when the query must
// scan: no WHERE, a disjunct leaving a key column free, or a value that does not convert
// exactly to its key column's type (only STRING, INT, BIGINT and BOOLEAN keys are looked
// up). The WHERE clause is still applied to what the lookups find.
func (e *Engine) lookupKeys(where parser.Expr, l *inputLayout) [][]byte {
	src := l.src
	if where == nil || !src.Table || src.Window != nil {
		return nil
	}
	keyCols := src.KeyColumns()
	if len(keyCols) == 0 {
		return nil
	}
	ds := disjuncts(where)
	if len(ds) > maxLookupDisjuncts {
		return nil
	}
	kc, _, err := codecs(src)
	if err != nil {
		return nil
	}
	ks := keySerde(kc, nil)
	c := e.compiler()
	blank := l.fill(nil, nil, 0, 0, 0, nil)
	keys := make([][]byte, 0, len(ds))
	for _, conj := range ds {
		pinned := map[string]parser.Expr{}
		for _, x := range conj {
			b, ok := x.(*parser.Binary)
			if !ok || b.Op != parser.OpEq {
				continue
			}
			for _, side := range [][2]parser.Expr{{b.L, b.R}, {b.R, b.L}} {
				ref, ok := side[0].(*parser.ColumnRef)
				if !ok || referencesColumn(side[1]) {
					continue
				}
				if col := src.Column(ref.Name.Name); col != nil && col.Kind == KeyCol && pinned[col.Name] == nil {
					pinned[col.Name] = side[1]
				}
			}
		}
		row := make([]any, len(keyCols))
		for i, kcol := range keyCols {
			x := pinned[kcol.Name]
			if x == nil {
				return nil
			}
			ce, err := c.Compile(x, l.scope)
			if err != nil {
				return nil
			}
			v, err := ce.Eval(blank)
			if err != nil {
				return nil
			}
			kv, ok := exactKey(v, kcol.Type)
			if !ok {
				return nil
			}
			row[i] = kv
		}
		kb, err := ks.Serialize(src.Topic, row)
		if err != nil || kb == nil {
			return nil
		}
		keys = append(keys, kb)
	}
	return keys
}

// exactKey converts v to the Go value of key type t when it represents the same value.
func exactKey(v any, t *types.Type) (any, bool) {
	switch t.Kind {
	case types.KString:
		s, ok := v.(string)
		return s, ok
	case types.KBoolean:
		b, ok := v.(bool)
		return b, ok
	case types.KInt, types.KBigint:
		var n int64
		switch x := v.(type) {
		case int32:
			n = int64(x)
		case int64:
			n = x
		default:
			return nil, false
		}
		if t.Kind == types.KBigint {
			return n, true
		}
		if n < math.MinInt32 || n > math.MaxInt32 {
			return nil, false
		}
		return int32(n), true
	}
	return nil, false
}
