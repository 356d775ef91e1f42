package runtime

import (
	"fmt"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"
)

// Header is one Kafka record header.
type Header = kgo.RecordHeader

// Record is what flows between nodes: a decoded key and value, the record timestamp in
// milliseconds since the epoch, and headers. Processors may change every field and forward
// the result; a Record is passed by value, but Headers share their backing array, so copy
// the slice before changing it in place.
type Record struct {
	Key       any
	Value     any
	Timestamp int64
	Headers   []Header
}

// TaskID names a task: a subtopology and the partition number it processes. It prints as
// Kafka Streams does, "0_3".
type TaskID struct {
	Subtopology int
	Partition   int32
}

func (id TaskID) String() string { return fmt.Sprintf("%d_%d", id.Subtopology, id.Partition) }

// RecordMetadata says where the record being processed came from.
type RecordMetadata struct {
	Topic     string
	Partition int32
	Offset    int64
}

func msTime(ms int64) time.Time { return time.UnixMilli(ms) }
