package ttd_test

import (
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

func TestDriverStoreQueries(t *testing.T) {
	topo := runtime.NewTopology()
	for _, err := range []error{
		topo.AddSource("src", runtime.Source{Topics: []string{"in"}}),
		topo.AddProcessor("put", func() runtime.Processor { return &putProcessor{} }, "src"),
		topo.AddStateStore(runtime.StoreSpec{Name: "kv", Kind: runtime.KeyValueStore}, "put"),
	} {
		if err != nil {
			t.Fatal(err)
		}
	}
	d, err := ttd.New(topo)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = d.Close() })
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
