package engine

import (
	"encoding/binary"
	"errors"
	"fmt"

	"github.com/ksqlgo/ksqlgo/dsl"
	"github.com/ksqlgo/ksqlgo/runtime"
	"github.com/ksqlgo/ksqlgo/serde"
)

// KindSourceTable is the Kind of the query that materializes a CREATE SOURCE TABLE for
// pull queries (ksqlDB's CST query, id CST_<NAME>_<n>).
const KindSourceTable = "CST"

// sourceTableStore names the key-value store of a source table's query: the serialized key
// of each record of the table's topic -> dsl.EncodeMaterialized(timestamp, headers and
// serialized value as encodeSourceValue lays them out) of the key's latest record;
// tombstones delete. Pull queries on the table read it.
const sourceTableStore = "KsqlSourceTable-Materialize"

// startSourceTableQuery starts the query that reads source table src's topic from its
// beginning into sourceTableStore, and links it to src (src.Query): DROP TABLE terminates
// it, TERMINATE leaves the table answered from its topic.
func (e *Engine) startSourceTableQuery(src *Source) error {
	id := e.nextQueryID(KindSourceTable, src.Name)
	b := dsl.NewBuilder()
	raw := dsl.StreamOf(b, src.Topic, dsl.Consumed(serde.Bytes(), serde.Bytes()))
	keepHeaders := false
	for _, c := range src.Columns {
		keepHeaders = keepHeaders || c.Kind == HeaderCol || c.Kind == HeadersCol
	}
	var ts func(key, value []byte) (int64, error)
	if src.TimestampColumn != "" {
		// ROWTIME is the TIMESTAMP column's value, as for every other query on the table.
		extract, err := e.timestampExtractor(src)
		if err != nil {
			return err
		}
		kc, vc, err := codecs(src)
		if err != nil {
			return stmtErr("%v", err)
		}
		ts = func(key, value []byte) (int64, error) {
			k, err := kc.Decode(key)
			if err != nil {
				return 0, fmt.Errorf("key: %w", err)
			}
			v, err := vc.Decode(value)
			if err != nil {
				return 0, fmt.Errorf("value: %w", err)
			}
			return extract(k, v)
		}
	}
	withHeaders := dsl.ProcessValues(raw, func() dsl.Processor[[]byte, []byte, []byte, []byte] {
		return &sourceValueEncoder{headers: keepHeaders, timestamp: ts}
	})
	withHeaders.Materialize(sourceTableStore, dsl.Produced(serde.Bytes(), serde.Bytes()), dsl.Named(sourceTableStore))
	topo, err := b.Build()
	if err != nil {
		return stmtErr("%v", err)
	}
	sql := fmt.Sprintf("CREATE SOURCE TABLE %s (%s) WITH (KAFKA_TOPIC='%s', KEY_FORMAT='%s', VALUE_FORMAT='%s');",
		src.Name, src.Schema(), src.Topic, src.KeyFormat, src.ValueFormat)
	q := &Query{ID: id, Kind: KindSourceTable, Sink: src.Name, SinkTopic: src.Topic, Sources: []string{src.Topic},
		Topology: topo, SQL: sql, Store: sourceTableStore}
	if err := e.Runner.StartQuery(q); err != nil {
		return err
	}
	e.queries = append(e.queries, q)
	src.Query = id
	return nil
}

// sourceValueEncoder prefixes each non-null value with the record's headers (none unless
// headers is set: the table has no header column), as encodeSourceValue lays them out, and
// gives it the timestamp of the table's TIMESTAMP column when timestamp is set.
type sourceValueEncoder struct {
	headers   bool
	timestamp func(key, value []byte) (int64, error)
	ctx       *dsl.ProcessorContext[[]byte, []byte]
}

var _ dsl.Processor[[]byte, []byte, []byte, []byte] = (*sourceValueEncoder)(nil)

func (p *sourceValueEncoder) Init(ctx *dsl.ProcessorContext[[]byte, []byte]) error {
	p.ctx = ctx
	return nil
}

func (p *sourceValueEncoder) Process(r dsl.Record[[]byte, []byte]) error {
	if r.Value != nil {
		if p.timestamp != nil {
			ts, err := p.timestamp(r.Key, r.Value)
			if err != nil {
				return fmt.Errorf("extract timestamp: %w", err)
			}
			r.Timestamp = ts
		}
		var hs []runtime.Header
		if p.headers {
			hs = r.Headers
		}
		r.Value = encodeSourceValue(hs, r.Value)
	}
	p.ctx.Forward(r)
	return nil
}

func (p *sourceValueEncoder) Close() error { return nil }

// encodeSourceValue lays out headers and a serialized value: the header count (uvarint),
// then per header its key length (uvarint) and key, its value length plus one (uvarint; 0
// for a null value) and value, then the value.
func encodeSourceValue(headers []runtime.Header, value []byte) []byte {
	out := binary.AppendUvarint(make([]byte, 0, 1+len(value)), uint64(len(headers)))
	for _, h := range headers {
		out = binary.AppendUvarint(out, uint64(len(h.Key)))
		out = append(out, h.Key...)
		if h.Value == nil {
			out = binary.AppendUvarint(out, 0)
			continue
		}
		out = binary.AppendUvarint(out, uint64(len(h.Value))+1)
		out = append(out, h.Value...)
	}
	return append(out, value...)
}

// errSourceValue reports a sourceTableStore value that encodeSourceValue did not write.
var errSourceValue = errors.New("malformed source table store value")

// decodeSourceValue splits what encodeSourceValue wrote into the headers and the value
// (non-nil, possibly empty); both alias b.
func decodeSourceValue(b []byte) ([]runtime.Header, []byte, error) {
	n, w := binary.Uvarint(b)
	if w <= 0 || n > uint64(len(b)) {
		return nil, nil, errSourceValue
	}
	b = b[w:]
	var hs []runtime.Header
	for range n {
		kl, w := binary.Uvarint(b)
		if w <= 0 || kl > uint64(len(b)-w) {
			return nil, nil, errSourceValue
		}
		key := string(b[w : w+int(kl)])
		b = b[w+int(kl):]
		vl, w := binary.Uvarint(b)
		if w <= 0 || (vl > 0 && vl-1 > uint64(len(b)-w)) {
			return nil, nil, errSourceValue
		}
		b = b[w:]
		var v []byte
		if vl > 0 {
			v = b[:vl-1]
			b = b[vl-1:]
		}
		hs = append(hs, runtime.Header{Key: key, Value: v})
	}
	if b == nil {
		b = []byte{}
	}
	return hs, b, nil
}
