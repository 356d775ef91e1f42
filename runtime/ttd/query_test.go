package ttd_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/ksqlgo/ksqlgo/runtime"
	"github.com/ksqlgo/ksqlgo/runtime/ttd"
	"github.com/ksqlgo/ksqlgo/statestore"
)

// putProcessor stores each record's value under its key (a null value deletes).
type putProcessor struct{ kv *statestore.KeyValue }

func (p *putProcessor) Init(ctx *runtime.ProcessorContext) error {
	p.kv = ctx.KeyValueStore("kv")
	return nil
}

func (p *putProcessor) Process(r runtime.Record) error {
	v, _ := r.Value.([]byte)
	return p.kv.Put(r.Key.([]byte), v, r.Timestamp)
}

func (p *putProcessor) Close() error { return nil }

// newStoreDriver returns a driver, closed when the test ends, on a topology where
// processor "put" (made by proc) reads topic "in" and owns the given stores.
func newStoreDriver(t *testing.T, proc func() runtime.Processor, stores ...runtime.StoreSpec) *ttd.Driver {
	t.Helper()
	topo := runtime.NewTopology()
	if err := topo.AddSource("src", runtime.Source{Topics: []string{"in"}}); err != nil {
		t.Fatal(err)
	}
	if err := topo.AddProcessor("put", proc, "src"); err != nil {
		t.Fatal(err)
	}
	for _, spec := range stores {
		if err := topo.AddStateStore(spec, "put"); err != nil {
			t.Fatal(err)
		}
	}
	d, err := ttd.New(topo)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = d.Close() })
	return d
}

func TestDriverStoreQueries(t *testing.T) {
	d := newStoreDriver(t, func() runtime.Processor { return &putProcessor{} },
		runtime.StoreSpec{Name: "kv", Kind: runtime.KeyValueStore})
	for _, kv := range [][2]string{{"b", "1"}, {"a", "2"}, {"c", "3"}, {"b", "4"}} {
		if err := d.Pipe("in", []byte(kv[0]), []byte(kv[1]), 0); err != nil {
			t.Fatal(err)
		}
	}
	if err := d.Pipe("in", []byte("c"), nil, 0); err != nil {
		t.Fatal(err)
	}
	if v, err := d.Get("kv", []byte("b")); err != nil || string(v) != "4" {
		t.Errorf("Get(b) = %q, %v; want 4", v, err)
	}
	if v, err := d.Get("kv", []byte("c")); err != nil || v != nil {
		t.Errorf("Get(c) after its delete = %q, %v; want nil", v, err)
	}
	var all []string
	if err := d.All("kv", func(k, v []byte) bool { all = append(all, string(k)+"="+string(v)); return true }); err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(all, " "); got != "a=2 b=4" {
		t.Errorf("All = %q, want a=2 b=4", got)
	}
	var first []string
	if err := d.Range("kv", []byte("a"), []byte("z"), func(k, _ []byte) bool { first = append(first, string(k)); return false }); err != nil || len(first) != 1 || first[0] != "a" {
		t.Errorf("Range stopping after one entry = %v, %v", first, err)
	}
	if _, err := d.Get("nope", []byte("a")); err == nil || !strings.Contains(err.Error(), `"nope"`) {
		t.Errorf("Get on an unknown store: %v", err)
	}
	if err := d.All("nope", func(k, v []byte) bool { return true }); err == nil {
		t.Error("All on an unknown store: no error")
	}
}

// timedPutProcessor stores each record's value in window store "w" at its timestamp and in
// session store "s" as the session [ts, ts+5].
type timedPutProcessor struct {
	w  *statestore.Window
	ss *statestore.SessionStore
}

func (p *timedPutProcessor) Init(ctx *runtime.ProcessorContext) error {
	p.w, p.ss = ctx.WindowStore("w"), ctx.SessionStore("s")
	return nil
}

func (p *timedPutProcessor) Process(r runtime.Record) error {
	k, v := r.Key.([]byte), r.Value.([]byte)
	if err := p.w.Put(k, r.Timestamp, v, r.Timestamp); err != nil {
		return err
	}
	return p.ss.Put(k, r.Timestamp, r.Timestamp+5, v, r.Timestamp)
}

func (p *timedPutProcessor) Close() error { return nil }

// TestDriverWindowAndSessionAll: WindowAll and SessionAll list every window and session in
// key order, stop when fn returns false, and name a missing store.
func TestDriverWindowAndSessionAll(t *testing.T) {
	d := newStoreDriver(t, func() runtime.Processor { return &timedPutProcessor{} },
		runtime.StoreSpec{Name: "w", Kind: runtime.WindowStore}, runtime.StoreSpec{Name: "s", Kind: runtime.SessionStore})
	for i, k := range []string{"b", "a", "b"} {
		if err := d.Pipe("in", []byte(k), []byte{'0' + byte(i)}, int64(i)*10); err != nil {
			t.Fatal(err)
		}
	}
	var windows, sessions []string
	if err := d.WindowAll("w", func(k []byte, start int64, v []byte) bool {
		windows = append(windows, fmt.Sprintf("%s@%d=%s", k, start, v))
		return true
	}); err != nil {
		t.Fatal(err)
	}
	if err := d.SessionAll("s", func(k []byte, start, end int64, v []byte) bool {
		sessions = append(sessions, fmt.Sprintf("%s@%d/%d=%s", k, start, end, v))
		return true
	}); err != nil {
		t.Fatal(err)
	}
	if got, want := strings.Join(windows, " "), "a@10=1 b@0=0 b@20=2"; got != want {
		t.Errorf("WindowAll = %s, want %s", got, want)
	}
	if got, want := strings.Join(sessions, " "), "a@10/15=1 b@0/5=0 b@20/25=2"; got != want {
		t.Errorf("SessionAll = %s, want %s", got, want)
	}
	n := 0
	_ = d.WindowAll("w", func([]byte, int64, []byte) bool { n++; return false })
	_ = d.SessionAll("s", func([]byte, int64, int64, []byte) bool { n++; return false })
	if n != 2 {
		t.Errorf("calls after fn returned false: %d, want 2", n)
	}
	if err := d.WindowAll("s", func([]byte, int64, []byte) bool { return true }); err == nil {
		t.Error("WindowAll of a session store: no error")
	}
	if err := d.SessionAll("w", func([]byte, int64, int64, []byte) bool { return true }); err == nil {
		t.Error("SessionAll of a window store: no error")
	}
}
