package dsl

import "github.com/ksqlgo/ksqlgo/runtime"

// RecordContext is the metadata of the record that caused a table update: its timestamp
// and headers, and the topic, partition and offset it was read from (Kafka Streams'
// RecordContext). The *WithContext table operations pass it to their functions, for both
// the new and the old value of an update, as Kafka Streams' KTable.transformValues does.
// Below a repartition (TableGroupBy) the topic, partition and offset are those of the
// repartition topic's record; for updates a Cached aggregation releases at commit there is
// no topic, and Partition and Offset are -1.
type RecordContext struct {
	Timestamp int64 // milliseconds since the epoch
	// Headers share their backing array with the record: copy before changing in place.
	Headers []runtime.Header
	runtime.RecordMetadata
}

func recordContext(ctx *runtime.ProcessorContext, r runtime.Record) RecordContext {
	return RecordContext{Timestamp: r.Timestamp, Headers: r.Headers, RecordMetadata: ctx.Metadata()}
}
