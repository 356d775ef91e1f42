package dsl

import (
	"fmt"
	"reflect"
	"testing"
	"time"

	"github.com/ksqlgo/ksqlgo/runtime"
	"github.com/ksqlgo/ksqlgo/runtime/ttd"
	"github.com/ksqlgo/ksqlgo/serde"
)

// TestSuppressOldValues: an emitted update carries the old value from before the key's
// first buffered update, and the latest update's timestamp and headers.
func TestSuppressOldValues(t *testing.T) {
	b := NewBuilder()
	counts := StreamOf(b, "in", Consumed(serde.String(), serde.JSON[int]())).GroupByKey().Count()
	sup := SuppressUntilTimeLimit(counts, 10*time.Millisecond, 0)
	var got []string
	peek := b.addNamed("peek", "PEEK", processorNode, sup.node)
	peek.supplier = runtime.ProcessorFunc(func(_ *runtime.ProcessorContext, r runtime.Record) error {
		ch := r.Value.(change)
		got = append(got, fmt.Sprintf("%v=%v(old %v)@%d%v", r.Key, ch.new, ch.old, r.Timestamp, r.Headers))
		return nil
	}).Supplier()
	topo, err := b.Build()
	if err != nil {
		t.Fatal(err)
	}
	d, err := ttd.New(topo)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close() })
	in := ttd.NewInputTopic(d, "in", serde.String(), serde.JSON[int]())
	pipe := func(k string, ts int64, hs ...runtime.Header) {
		t.Helper()
		if err := in.Pipe(k, 1, ts, hs...); err != nil {
			t.Fatal(err)
		}
	}
	pipe("a", 0)
	pipe("a", 5)
	pipe("c", 10) // emits a
	pipe("a", 11)
	pipe("a", 12, runtime.Header{Key: "h", Value: []byte("v")})
	pipe("b", 30) // emits c, then a
	want := []string{"a=2(old <nil>)@5[]", "c=1(old <nil>)@10[]", "a=4(old 2)@12[{h [118]}]"}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got  %q\nwant %q", got, want)
	}
}

func TestBufferEntryEncoding(t *testing.T) {
	entries := []bufferEntry{
		{time: 1, ts: 2},
		{time: -1, ts: 1 << 40, new: []byte("new"), prior: []byte{}},
		{time: 5, ts: 6, headers: []runtime.Header{{Key: "k", Value: []byte("v")}, {Key: "", Value: nil}}, prior: []byte("old")},
	}
	for _, e := range entries {
		b := e.encode()
		back, err := decodeBufferEntry(b)
		if err != nil {
			t.Fatalf("%+v: %v", e, err)
		}
		if !reflect.DeepEqual(back, e) {
			t.Fatalf("round trip %+v, want %+v", back, e)
		}
		for i := range b {
			if _, err := decodeBufferEntry(b[:i]); err == nil {
				t.Fatalf("%+v: no error for %d of %d bytes", e, i, len(b))
			}
		}
	}
}

func FuzzDecodeBufferEntry(f *testing.F) {
	f.Add(bufferEntry{time: 5, ts: 6, headers: []runtime.Header{{Key: "k", Value: []byte("v")}}, new: []byte("x")}.encode())
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, b []byte) {
		e, err := decodeBufferEntry(b)
		if err != nil {
			return
		}
		if back, err := decodeBufferEntry(e.encode()); err != nil || !reflect.DeepEqual(back, e) {
			t.Fatalf("re-encoding %+v: %+v, %v", e, back, err)
		}
	})
}
