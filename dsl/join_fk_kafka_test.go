package dsl_test

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/ksqlgo/ksqlgo/dsl"
	"github.com/ksqlgo/ksqlgo/runtime"
	"github.com/ksqlgo/ksqlgo/serde"
)

// fkRow is the left value of the foreign-key join tests on the broker.
type fkRow struct {
	FK string `json:"fk"`
	N  int    `json:"n"`
}

var fkRowSerdes = dsl.Consumed(serde.String(), serde.JSON[fkRow]())

// produceJSON writes JSON values (nil: a tombstone) with string keys.
func (c *kafkaCluster) produceJSON(topic, key string, value any, ts int64) {
	c.t.Helper()
	rec := &kgo.Record{Topic: topic, Key: []byte(key), Timestamp: time.UnixMilli(ts)}
	if value != nil {
		rec.Value, _ = json.Marshal(value)
	}
	if err := c.cl.ProduceSync(context.Background(), rec).FirstErr(); err != nil {
		c.t.Fatal(err)
	}
}

// latest returns the last value read per key of records formatted "key:value@ts".
func latest(recs []string) map[string]string {
	out := map[string]string{}
	for _, r := range recs {
		k, v, _ := strings.Cut(r, ":")
		out[k] = v
	}
	return out
}

// fkJoinRows builds left (fkRow values) joined on fk with right (int values) into out.
func fkJoinRows(t *testing.T, left, right, out string) *runtime.Topology {
	t.Helper()
	b := dsl.NewBuilder()
	dsl.FKJoinTables(dsl.TableOf(b, left, fkRowSerdes), dsl.TableOf(b, right, consumed),
		func(_ string, v fkRow) (string, bool) { return v.FK, v.FK != "" },
		func(_ string, l fkRow, r int) string { return fmt.Sprintf("%d+%d", l.N, r) }, dsl.Named("fk")).
		ToStream().To(out, joined)
	topo, err := b.Build()
	if err != nil {
		t.Fatal(err)
	}
	return topo
}

// TestFKJoinTablesPartitionCounts: left (2 partitions) and right (3 partitions) need not
// be co-partitioned: the subscription topic gets right's count and the response topic
// left's, and every left row meets the right row of its foreign key.
func TestFKJoinTablesPartitionCounts(t *testing.T) {
	c := newKafkaCluster(t, map[string]int32{"fk-l": 2, "fk-r": 3})
	topo := fkJoinRows(t, "fk-l", "fk-r", "fk-out")
	app, stop := c.app(topo, "fkparts", t.TempDir(), runtime.Threads(2))
	for i := range 6 {
		c.produceJSON("fk-r", fmt.Sprintf("r%d", i), 100+i, 1)
	}
	want := map[string]string{}
	for i := range 20 {
		k := fmt.Sprintf("k%d", i)
		c.produceJSON("fk-l", k, fkRow{FK: fmt.Sprintf("r%d", i%6), N: i}, 2)
		want[k] = fmt.Sprintf(`"%d+%d"@2`, i, 100+i%6)
	}
	r := c.reader("fk-out")
	waitFor(t, "the joins of the left rows", func() bool { return maps.Equal(latest(r.poll("fk-out")), want) })

	c.produceJSON("fk-r", "r1", 201, 3) // k1, k7, k13, k19
	for _, i := range []int{1, 7, 13, 19} {
		want[fmt.Sprintf("k%d", i)] = fmt.Sprintf(`"%d+201"@3`, i)
	}
	c.produceJSON("fk-l", "k0", fkRow{FK: "r1", N: 0}, 4) // moves from r0 to r1
	want["k0"] = `"0+201"@4`
	c.produceJSON("fk-r", "r0", nil, 5) // k6, k12, k18 (no longer k0)
	for _, i := range []int{6, 12, 18} {
		want[fmt.Sprintf("k%d", i)] = `<null>@5`
	}
	c.produceJSON("fk-l", "k2", nil, 6)
	want["k2"] = `<null>@6`
	waitFor(t, "the updates", func() bool { return maps.Equal(latest(r.poll("fk-out")), want) })
	stop()

	adm := kadm.NewClient(c.cl)
	for topic, n := range map[string]int{"fkparts-fk-subscription-registration": 3, "fkparts-fk-subscription-response": 2} {
		details, err := adm.ListTopics(context.Background(), topic)
		if err != nil {
			t.Fatal(err)
		}
		if got := len(details[topic].Partitions); got != n {
			t.Errorf("%s has %d partitions, want %d", topic, got, n)
		}
	}
	if m := app.Metrics(); m.ProcessingErrors != 0 || m.DeserializationErrors != 0 {
		t.Errorf("metrics %+v", m)
	}
}

// TestFKJoinTablesRestore: a second instance with an empty state directory restores the
// tables, the subscriptions and the output store from their changelogs: a right update
// reaches a left row the first instance subscribed, a new left row joins a right row the
// first instance stored, and the old values are right (the row count stays exact).
func TestFKJoinTablesRestore(t *testing.T) {
	c := newKafkaCluster(t, map[string]int32{"fkr-l": 1, "fkr-r": 1})
	b := dsl.NewBuilder()
	res := dsl.FKJoinTables(dsl.TableOf(b, "fkr-l", fkRowSerdes), dsl.TableOf(b, "fkr-r", consumed),
		func(_ string, v fkRow) (string, bool) { return v.FK, v.FK != "" },
		func(_ string, l fkRow, r int) string { return fmt.Sprintf("%d+%d", l.N, r) }).
		WithSerdes(nil, serde.JSON[string]())
	res.ToStream().To("fkr-out", joined)
	dsl.TableGroupBy(res, func(_ string, v string) (string, string) { return "all", v }, serde.String(), serde.JSON[string]()).
		Count().ToStream().To("fkr-rows", dsl.Produced(serde.String(), serde.Int64()))
	topo, err := b.Build()
	if err != nil {
		t.Fatal(err)
	}
	c.produceJSON("fkr-r", "x", 10, 1)
	c.produceJSON("fkr-l", "a", fkRow{FK: "x", N: 1}, 2)
	r := c.reader("fkr-out")
	_, stop := c.app(topo, "fkrestore", t.TempDir())
	waitFor(t, "the first join", func() bool { return len(r.poll("fkr-out")) >= 1 })
	stop()

	second, stop := c.app(topo, "fkrestore", t.TempDir())
	want := []string{`a:"1+10"@2`}
	// One update at a time: the left and right sides run in different tasks, and an answer
	// for a left row that changed in the meantime is dropped.
	for _, step := range []struct {
		topic, key string
		value      any
		ts         int64
		want       string
	}{
		{"fkr-r", "x", 20, 3, `a:"1+20"@3`},                   // a's subscription was restored
		{"fkr-l", "b", fkRow{FK: "x", N: 2}, 4, `b:"2+20"@4`}, // x was restored
		{"fkr-l", "a", nil, 5, `a:<null>@5`},
	} {
		c.produceJSON(step.topic, step.key, step.value, step.ts)
		want = append(want, step.want)
		waitFor(t, step.want, func() bool { return len(r.poll("fkr-out")) >= len(want) })
	}
	// The counts come from another task, through a repartition topic.
	rows := c.reader("fkr-rows")
	var counts []string
	waitFor(t, "the last row count", func() bool {
		counts = rows.poll("fkr-rows")
		return len(counts) > 0 && strings.HasSuffix(counts[len(counts)-1], "@5")
	})
	if last := counts[len(counts)-1]; last != "all:"+string(int64Bytes(1))+"@5" {
		t.Errorf("row counts %q, want 1 row at the end", counts)
	}
	stop()
	if got := r.poll("fkr-out"); !slices.Equal(got, want) {
		t.Errorf("output:\n got %q\nwant %q", got, want)
	}
	if second.Metrics().RecordsRestored == 0 {
		t.Error("the second instance restored nothing")
	}
}
