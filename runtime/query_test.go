package runtime_test

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"testing"

	"github.com/ksqlgo/ksqlgo/runtime"
)

// TestQueriesAcrossInstances: two instances split the partitions of a counting app; each
// answers Get for its own keys, and for the others returns ErrNotLocal while KeyMetadata
// names the owning instance and its endpoint.
func TestQueriesAcrossInstances(t *testing.T) {
	c := newCluster(t)
	cl := newClient(t, c)
	createTopic(t, cl, 4, "q-in")
	produceN(t, cl, "q-in", 0, 40) // keys k0..k39, one record each
	apps := map[string]*runtime.App{}
	for _, name := range []string{"a", "b"} {
		app, err := runtime.New(countTopology(t, "q-in", "q-out"), "queries", runtime.Brokers(c.ListenAddrs()...),
			runtime.StateDir(t.TempDir()), runtime.InstanceID(name), runtime.Endpoint(name+".example:8088"))
		must(t, err)
		startApp(t, app)
		apps[name] = app
	}
	waitFor(t, "2 tasks each", func() bool { return len(apps["a"].Tasks()) == 2 && len(apps["b"].Tasks()) == 2 })
	ctx := context.Background()
	for i := range 40 {
		key := []byte(fmt.Sprint("k", i))
		var owner string
		waitFor(t, "count of "+string(key), func() bool {
			for name, app := range apps {
				v, err := app.Get(ctx, "counts", key)
				if err == nil && len(v) == 8 && binary.BigEndian.Uint64(v) == 1 {
					owner = name
					return true
				}
			}
			return false
		})
		other := map[string]string{"a": "b", "b": "a"}[owner]
		if _, err := apps[other].Get(ctx, "counts", key); !errors.Is(err, runtime.ErrNotLocal) {
			t.Fatalf("%s on the non-owner %s: %v, want ErrNotLocal", key, other, err)
		}
		// GetLocal looks in every local partition: the owner finds the key, the other not.
		if v, err := apps[owner].GetLocal("counts", key); err != nil || len(v) != 8 {
			t.Fatalf("GetLocal %s on the owner %s: %x, %v", key, owner, v, err)
		}
		if v, err := apps[other].GetLocal("counts", key); err != nil || v != nil {
			t.Fatalf("GetLocal %s on the non-owner %s: %x, %v; want nil", key, other, v, err)
		}
		md, err := apps[other].KeyMetadata(ctx, "counts", key)
		if err != nil || md.Local || md.Instance != owner || md.Endpoint != owner+".example:8088" ||
			md.Partition != int32(runtime.KeyPartition(key, 4)) {
			t.Fatalf("%s metadata from %s: %+v, %v (owner %s)", key, other, md, err, owner)
		}
	}
	n := 0
	for _, app := range apps {
		must(t, app.All("counts", func(k, v []byte) bool { n++; return true }))
	}
	if n != 40 {
		t.Fatalf("All over both instances saw %d keys, want 40", n)
	}
	for name, app := range apps {
		if ps, err := app.LocalPartitions("counts"); err != nil || len(ps) != 2 {
			t.Fatalf("LocalPartitions on %s = %v, %v; want 2 partitions", name, ps, err)
		}
	}
}

func TestTopologyHasStore(t *testing.T) {
	topo := countTopology(t, "in", "out")
	if !topo.HasStore("counts") || topo.HasStore("nope") {
		t.Fatalf("HasStore(counts) = %v, HasStore(nope) = %v", topo.HasStore("counts"), topo.HasStore("nope"))
	}
}
