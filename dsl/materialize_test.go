package dsl_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/ksqlgo/ksqlgo/dsl"
	"github.com/ksqlgo/ksqlgo/runtime/ttd"
	"github.com/ksqlgo/ksqlgo/serde"
)

// storeDump lists store name of d as "key=value@ts" in key order.
func storeDump(t *testing.T, d *ttd.Driver, store string) string {
	t.Helper()
	var out []string
	var derr error
	err := d.All(store, func(k, v []byte) bool {
		ts, val, err := dsl.DecodeMaterialized(v)
		if err != nil {
			derr = err
			return false
		}
		out = append(out, fmt.Sprintf("%s=%s@%d", k, val, ts))
		return true
	})
	if err != nil || derr != nil {
		t.Fatalf("All(%q): %v %v", store, err, derr)
	}
	return strings.Join(out, " ")
}

// pipeLatest pipes b:1@10 a:2@20 b:3@30 c:4@40, a tombstone for c at 50 and a record
// with a null key at 60 into topic "in" of d, and checks that store "latest" then holds
// the latest value per key: the tombstone deletes c and the null key is not stored.
func pipeLatest(t *testing.T, d *ttd.Driver) {
	t.Helper()
	pipe(t, d, "in", in{"b", 1, 10}, in{"a", 2, 20}, in{"b", 3, 30}, in{"c", 4, 40})
	if err := d.Pipe("in", []byte("c"), nil, 50); err != nil {
		t.Fatal(err)
	}
	if err := d.Pipe("in", nil, []byte("9"), 60); err != nil {
		t.Fatal(err)
	}
	if got, want := storeDump(t, d, "latest"), "a=2@20 b=3@30"; got != want {
		t.Errorf("store = %q, want %q", got, want)
	}
}

func TestMaterializeKeepsLatestPerKey(t *testing.T) {
	b := dsl.NewBuilder()
	dsl.StreamOf(b, "in", consumed).
		Materialize("latest", dsl.Produced(serde.String(), serde.JSON[int]())).
		To("out", dsl.Produced(serde.String(), serde.JSON[int]()))
	d := newDriver(t, b)
	pipeLatest(t, d)
	if got := len(output(d, "out")); got != 6 {
		t.Errorf("%d records forwarded to the sink, want 6", got)
	}
	v, err := d.Get("latest", []byte("b"))
	if err != nil {
		t.Fatal(err)
	}
	if ts, val, err := dsl.DecodeMaterialized(v); err != nil || ts != 30 || string(val) != "3" {
		t.Errorf("Get(b) = %d %q %v, want 30 \"3\"", ts, val, err)
	}
	if v, err := d.Get("latest", []byte("c")); err != nil || v != nil {
		t.Errorf("Get(c) after its tombstone = %q, %v; want nil", v, err)
	}
	var ranged []string
	if err := d.Range("latest", []byte("b"), nil, func(k, _ []byte) bool { ranged = append(ranged, string(k)); return true }); err != nil || strings.Join(ranged, " ") != "b" {
		t.Errorf("Range from b = %v, %v; want [b]", ranged, err)
	}
	if _, err := d.Get("nosuch", []byte("a")); err == nil {
		t.Error("Get on an unknown store: no error")
	}
}

func TestMaterializeNeedsSerdes(t *testing.T) {
	b := dsl.NewBuilder()
	s := dsl.Map(dsl.StreamOf(b, "in", consumed), func(k string, v int) (string, string) { return k, "x" })
	s.Materialize("latest").To("out", dsl.Produced(serde.String(), serde.String()))
	if _, err := b.Build(); err == nil || !strings.Contains(err.Error(), "no key serde") {
		t.Errorf("Build = %v, want a missing serde error", err)
	}
}

func TestDecodeMaterializedRejectsShortValues(t *testing.T) {
	if _, _, err := dsl.DecodeMaterialized([]byte{1, 2}); err == nil {
		t.Error("no error for a 2-byte value")
	}
	ts, v, err := dsl.DecodeMaterialized(dsl.EncodeMaterialized(-5, []byte{}))
	if err != nil || ts != -5 || v == nil || len(v) != 0 {
		t.Errorf("round trip of an empty value = %d %q %v", ts, v, err)
	}
}

// TestToMaterializedSerializesOnce checks that ToMaterialized keeps the latest record per
// key like Materialize + To, writes the same records to the topic, and serializes each
// key and value once, with the topic's name.
func TestToMaterializedSerializesOnce(t *testing.T) {
	var calls []string
	counted := func(s serde.Serde[int]) serde.Serde[int] {
		return serde.Func(func(topic string, v int) ([]byte, error) {
			calls = append(calls, topic)
			return s.Serialize(topic, v)
		}, s.Deserialize)
	}
	b := dsl.NewBuilder()
	dsl.StreamOf(b, "in", consumed).
		ToMaterialized("out", "latest", dsl.Produced(serde.String(), counted(serde.JSON[int]())))
	d := newDriver(t, b)
	pipeLatest(t, d)
	want := "b:1@10 a:2@20 b:3@30 c:4@40 c:<null>@50 <null>:9@60"
	if got := strings.Join(output(d, "out"), " "); got != want {
		t.Errorf("output = %q, want %q", got, want)
	}
	if got := strings.Join(calls, " "); got != "out out out out out" {
		t.Errorf("value serializations: %q, want one per non-null value, with topic out", got)
	}
}

func TestToMaterializedChecksOptions(t *testing.T) {
	for _, tc := range []struct {
		name, topic, want string
		opt               dsl.Opt
	}{
		{"no serdes", "out", "no key serde", dsl.Named("m")},
		{"empty topic", "", "empty topic name", dsl.Produced(serde.String(), serde.String())},
		{"foreign option", "out", "does not apply", dsl.Cached(1)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b := dsl.NewBuilder()
			s := dsl.Map(dsl.StreamOf(b, "in", consumed), func(k string, v int) (string, string) { return k, "x" })
			s.ToMaterialized(tc.topic, "latest", tc.opt)
			if _, err := b.Build(); err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("Build = %v, want an error containing %q", err, tc.want)
			}
		})
	}
}
