package ttd

import (
	"errors"
	"fmt"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/ksqlgo/ksqlgo/runtime"
)

// Record is a raw record written by the topology (or piped in).
type Record struct {
	Topic     string
	Partition int32
	Offset    int64
	Key       []byte
	Value     []byte
	Timestamp int64 // ms
	Headers   []runtime.Header
}

// Opt configures a Driver.
type Opt interface{ apply(*Driver) }

type optFunc func(*Driver)

func (f optFunc) apply(d *Driver) { f(d) }

// AppID sets the application id that prefixes internal topics, overriding "ttd".
func AppID(id string) Opt { return optFunc(func(d *Driver) { d.appID = id }) }

// StartTime sets the driver's wall clock, overriding the Unix epoch.
func StartTime(t time.Time) Opt { return optFunc(func(d *Driver) { d.clock = t }) }

// RuntimeOpts passes options to the runtime (error policies, logger).
func RuntimeOpts(opts ...runtime.Opt) Opt {
	return optFunc(func(d *Driver) { d.ropts = append(d.ropts, opts...) })
}

// Driver runs a topology with no broker. It is not safe for concurrent use.
type Driver struct {
	appID   string
	clock   time.Time
	ropts   []runtime.Opt
	runner  *runtime.SyncRunner
	part    kgo.Partitioner
	outputs map[string][]Record
	read    map[string]int // per topic: records already returned by ReadOutput
	offsets map[string]int64
	pending []*kgo.Record
	closed  bool
}

// New builds a driver for t.
func New(t *runtime.Topology, opts ...Opt) (*Driver, error) {
	d := &Driver{
		clock:   time.UnixMilli(0),
		part:    runtime.DefaultPartitioner(),
		outputs: map[string][]Record{},
		read:    map[string]int{},
		offsets: map[string]int64{},
	}
	for _, o := range opts {
		o.apply(d)
	}
	ropts := append([]runtime.Opt{runtime.Clock(func() time.Time { return d.clock })}, d.ropts...)
	r, err := runtime.NewSyncRunner(d.appID, t, collector{d}, ropts...)
	if err != nil {
		return nil, err
	}
	d.runner = r
	return d, nil
}

type collector struct{ d *Driver }

func (c collector) Send(r *kgo.Record) { c.d.write(r) }

func (d *Driver) write(r *kgo.Record) {
	r.Partition = int32(d.part.ForTopic(r.Topic).Partition(r, 1))
	r.Offset = d.offsets[r.Topic]
	d.offsets[r.Topic]++
	d.outputs[r.Topic] = append(d.outputs[r.Topic], Record{
		Topic: r.Topic, Partition: r.Partition, Offset: r.Offset,
		Key: r.Key, Value: r.Value, Timestamp: r.Timestamp.UnixMilli(), Headers: r.Headers,
	})
	if d.runner.Reads(r.Topic) {
		d.pending = append(d.pending, r)
	}
}

// Pipe feeds one record into topic (a Kafka topic name) with timestamp ts (ms) and
// processes it, and everything it causes, to completion. A nil value is a tombstone. The
// error is non-nil for an unknown topic, or when an error policy is LogAndFail.
func (d *Driver) Pipe(topic string, key, value []byte, ts int64, headers ...runtime.Header) error {
	if d.closed {
		return errors.New("driver is closed")
	}
	if !d.runner.Reads(topic) {
		return fmt.Errorf("topic %q is not read by the topology (it reads %v)", topic, d.runner.SourceTopics())
	}
	r := &kgo.Record{Topic: topic, Key: key, Value: value, Timestamp: time.UnixMilli(ts), Headers: headers}
	r.Offset = d.offsets[topic]
	d.offsets[topic]++
	d.pending = append(d.pending, r)
	return d.drain()
}

func (d *Driver) drain() error {
	for len(d.pending) > 0 {
		r := d.pending[0]
		d.pending = d.pending[1:]
		if err := d.runner.Pipe(r); err != nil {
			d.pending = nil
			return err
		}
	}
	return nil
}

// AdvanceWallClock moves the driver's clock forward by by and fires the wall-clock
// punctuators that are due.
func (d *Driver) AdvanceWallClock(by time.Duration) error {
	d.clock = d.clock.Add(by)
	if err := d.runner.Punctuate(); err != nil {
		return err
	}
	return d.drain()
}

// WallClock is the driver's current wall-clock time.
func (d *Driver) WallClock() time.Time { return d.clock }

// ReadOutput returns the records written to topic since the last ReadOutput of it.
func (d *Driver) ReadOutput(topic string) []Record {
	all := d.outputs[topic]
	out := all[d.read[topic]:]
	d.read[topic] = len(all)
	return out
}

// AllOutput returns every record written to topic since the driver started.
func (d *Driver) AllOutput(topic string) []Record { return d.outputs[topic] }

// OutputTopics returns the topics written to so far.
func (d *Driver) OutputTopics() []string {
	out := make([]string, 0, len(d.outputs))
	for t := range d.outputs {
		out = append(out, t)
	}
	return out
}

// Metrics returns the runtime counters (processed, skipped, ...).
func (d *Driver) Metrics() runtime.Metrics { return d.runner.Metrics() }

// Close closes the topology's processors. It is idempotent.
func (d *Driver) Close() error {
	if d.closed {
		return nil
	}
	d.closed = true
	return d.runner.Close()
}
