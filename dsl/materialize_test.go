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

func TestMaterializeKeepsLatestPerKey(t *testing.T) {
	b := dsl.NewBuilder()
	dsl.StreamOf(b, "in", consumed).
		Materialize("latest", dsl.Produced(serde.String(), serde.JSON[int]())).
		To("out", dsl.Produced(serde.String(), serde.JSON[int]()))
	d := newDriver(t, b)
	pipe(t, d, "in", in{"b", 1, 10}, in{"a", 2, 20}, in{"b", 3, 30}, in{"c", 4, 40})
	// A tombstone deletes; a null key is forwarded but not stored.
	if err := d.Pipe("in", []byte("c"), nil, 50); err != nil {
		t.Fatal(err)
	}
	if err := d.Pipe("in", nil, []byte("9"), 60); err != nil {
		t.Fatal(err)
	}
	if got, want := storeDump(t, d, "latest"), "a=2@20 b=3@30"; got != want {
		t.Errorf("store = %q, want %q", got, want)
	}
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
