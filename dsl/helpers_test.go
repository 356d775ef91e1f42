package dsl_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/ksqlgo/ksqlgo/dsl"
	"github.com/ksqlgo/ksqlgo/runtime"
	"github.com/ksqlgo/ksqlgo/runtime/ttd"
	"github.com/ksqlgo/ksqlgo/serde"
)

// in is the record type piped by most tests: a string key and a JSON int value.
type in struct {
	key   string
	value int
	ts    int64
}

// inputs is the input most tests pipe into topic "in".
var inputs = []in{{"a", 1, 10}, {"b", 2, 20}, {"c", 3, 30}, {"d", 4, 40}}

// consumed is the Consumed of topic "in".
var consumed = dsl.Consumed(serde.String(), serde.JSON[int]())

// newDriver builds b and starts a test driver on it, closed at the end of the test.
func newDriver(t *testing.T, b *dsl.Builder, opts ...ttd.Opt) *ttd.Driver {
	t.Helper()
	topo, err := b.Build()
	if err != nil {
		t.Fatalf("Build: %v", err)
	}
	d, err := ttd.New(topo, opts...)
	if err != nil {
		t.Fatalf("ttd.New: %v", err)
	}
	t.Cleanup(func() {
		if err := d.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	return d
}

// pipe pipes records into topic with the string key and JSON int value serdes.
func pipe(t *testing.T, d *ttd.Driver, topic string, recs ...in) {
	t.Helper()
	it := ttd.NewInputTopic(d, topic, serde.String(), serde.JSON[int]())
	for _, r := range recs {
		if err := it.Pipe(r.key, r.value, r.ts); err != nil {
			t.Fatalf("Pipe %v into %q: %v", r, topic, err)
		}
	}
}

// output returns the records written to topic since the last call, as "key:value@ts"
// strings of the raw bytes ("<null>" for Kafka null).
func output(d *ttd.Driver, topic string) []string {
	var out []string
	for _, r := range d.ReadOutput(topic) {
		out = append(out, fmt.Sprintf("%s:%s@%d", raw(r.Key), raw(r.Value), r.Timestamp))
	}
	return out
}

func raw(b []byte) string {
	if b == nil {
		return "<null>"
	}
	return string(b)
}

// checkOutput compares the output of topic with want.
func checkOutput(t *testing.T, d *ttd.Driver, topic string, want ...string) {
	t.Helper()
	if got := output(d, topic); !slices.Equal(got, want) {
		t.Errorf("output of %q:\n got %q\nwant %q", topic, got, want)
	}
}

// headers formats hs as "k=v,k=v".
func headers(hs []runtime.Header) string {
	var parts []string
	for _, h := range hs {
		parts = append(parts, h.Key+"="+string(h.Value))
	}
	return strings.Join(parts, ",")
}

// errorsContains reports whether the message of err contains every part.
func errorsContains(err error, parts ...string) bool {
	if err == nil {
		return false
	}
	for _, p := range parts {
		if !strings.Contains(err.Error(), p) {
			return false
		}
	}
	return true
}
