package engine_test

import (
	"encoding/json"
	"fmt"
	"log/slog"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/ksqlgo/ksqlgo/broker"
	"github.com/ksqlgo/ksqlgo/sql/engine"
)

// TestCommandTopicReplay: an engine with a command topic, restarted (a new engine and
// runner on the same broker and state directory), replays its statements: the catalog is
// back, the persistent query runs again with the same id and resumes where it stopped
// (counts continue, nothing counted twice), a DROP ... DELETE TOPIC replayed does not
// delete the topic made again since, and a record in the topic that is not a command is
// skipped.
func TestCommandTopicReplay(t *testing.T) {
	b, err := broker.New(broker.Listen("127.0.0.1:0"), broker.InMemory())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = b.Close() })
	stateDir := t.TempDir()
	start := func() (*engine.Engine, *engine.LiveRunner) {
		r := &engine.LiveRunner{Brokers: []string{b.Addr()}, StateDir: stateDir, Log: slog.New(slog.DiscardHandler)}
		e := engine.New(r)
		e.Commands = &engine.TopicCommandLog{Runner: r, Topic: engine.CommandTopic(e.ServiceID)}
		return e, r
	}
	e, r := start()
	exec(t, e, `
		CREATE STREAM clicks (user_id STRING KEY, page STRING) WITH (KAFKA_TOPIC='clicks', VALUE_FORMAT='JSON', PARTITIONS=1);
		CREATE STREAM old (k STRING KEY, v INT) WITH (KAFKA_TOPIC='reused', VALUE_FORMAT='JSON', PARTITIONS=1);
		DROP STREAM old DELETE TOPIC;
		CREATE STREAM reused (k STRING KEY, v INT) WITH (KAFKA_TOPIC='reused', VALUE_FORMAT='JSON', PARTITIONS=1);
		INSERT INTO reused (k, v) VALUES ('a', 1);
		DEFINE page_prefix = '/';
		CREATE TABLE views AS SELECT user_id, COUNT(*) AS n FROM clicks WHERE page LIKE '${page_prefix}%' GROUP BY user_id;
		INSERT INTO clicks (user_id, page) VALUES ('u1', '/a');
		INSERT INTO clicks (user_id, page) VALUES ('u1', '/b');`)
	if _, err := e.ExecuteScript("SELECT * FROM clicks EMIT CHANGES LIMIT 1;"); err != nil { // takes a query number
		t.Fatal(err)
	}
	waitTable(t, r, "VIEWS", `u1={"N":2}`)
	id := e.Queries()[0].ID
	if err := r.Close(); err != nil {
		t.Fatal(err)
	}
	// A record that is not a command, as a foreign writer could leave.
	cl, err := kgo.NewClient(kgo.SeedBrokers(b.Addr()))
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close()
	if err := cl.ProduceSync(t.Context(), &kgo.Record{Topic: engine.CommandTopic("default_"), Value: []byte("not json")}).FirstErr(); err != nil {
		t.Fatal(err)
	}

	e2, r2 := start()
	t.Cleanup(func() { _ = r2.Close() })
	n, errs := e2.Sync()
	if n != 5 || len(errs) != 1 {
		t.Fatalf("replayed %d commands, errors %v; want 5 and the bad record", n, errs)
	}
	if qs := e2.Queries(); len(qs) != 1 || qs[0].ID != id {
		t.Fatalf("queries after replay: %v, want %s", qs, id)
	}
	for _, name := range []string{"CLICKS", "REUSED", "VIEWS"} {
		if e2.Catalog.Source(name) == nil {
			t.Errorf("%s missing after replay", name)
		}
	}
	if e2.Catalog.Source("OLD") != nil {
		t.Error("OLD came back after replay")
	}
	recs, err := r2.ReadTopic("reused")
	if err != nil || len(recs) != 1 {
		t.Fatalf("topic reused after replay: %d records, %v (the replayed DROP deleted it?)", len(recs), err)
	}
	exec(t, e2, `INSERT INTO clicks (user_id, page) VALUES ('u1', '/c');`)
	// The query resumed: one more count; a query started afresh would have counted all
	// three clicks again (five records), one without its state would say 1.
	waitTopic(t, r2, "VIEWS", `u1={"N":1}`, `u1={"N":2}`, `u1={"N":3}`)
	// Replay logged nothing again.
	cmds, _ := e2.Commands.Commands()
	if len(cmds) != 5 {
		b, _ := json.Marshal(cmds)
		t.Fatalf("%d commands after replay, want 5: %s", len(cmds), b)
	}
}

// TestCommandTopicFollow: two engines sharing a cluster and a command topic (two
// servers) run each other's statements (Sync), not their own twice, and keep query ids
// apart.
func TestCommandTopicFollow(t *testing.T) {
	b, err := broker.New(broker.Listen("127.0.0.1:0"), broker.InMemory())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = b.Close() })
	start := func() *engine.Engine {
		r := &engine.LiveRunner{Brokers: []string{b.Addr()}, StateDir: t.TempDir(), Log: slog.New(slog.DiscardHandler)}
		t.Cleanup(func() { _ = r.Close() })
		e := engine.New(r)
		e.Commands = &engine.TopicCommandLog{Runner: r, Topic: engine.CommandTopic(e.ServiceID)}
		if _, errs := e.Sync(); len(errs) > 0 {
			t.Fatal(errs)
		}
		return e
	}
	a, bb := start(), start()
	exec(t, a, `CREATE STREAM s (k STRING KEY, v INT) WITH (KAFKA_TOPIC='s', VALUE_FORMAT='JSON', PARTITIONS=2);
		CREATE STREAM big AS SELECT * FROM s WHERE v > 10;`)
	if n, errs := bb.Sync(); n != 2 || len(errs) > 0 {
		t.Fatalf("b ran %d of a's statements, errors %v", n, errs)
	}
	if qa, qb := a.Queries(), bb.Queries(); len(qb) != 1 || qb[0].ID != qa[0].ID {
		t.Fatalf("b runs %v, a %v: want the same query", qb, qa)
	}
	exec(t, bb, `CREATE STREAM small AS SELECT * FROM s WHERE v <= 10;`)
	if n, errs := a.Sync(); n != 1 || len(errs) > 0 {
		t.Fatalf("a ran %d of b's statements, errors %v", n, errs)
	}
	if n, errs := bb.Sync(); n != 0 || len(errs) > 0 { // its own statement is not run again
		t.Fatalf("b ran %d statements again, errors %v", n, errs)
	}
	ids := map[string]bool{}
	for _, q := range a.Queries() {
		ids[q.ID] = true
	}
	if len(ids) != 2 || a.Catalog.Source("SMALL") == nil {
		t.Fatalf("a's queries %v", ids)
	}
}

// TestPullQueryTwoInstances: two engines (servers) run the same table query, its tasks
// split between them; a pull query on either answers for the whole table (a scan of the
// local partitions would miss the other instance's keys: the runner then reads the
// table's topic), and every key lookup finds its key.
func TestPullQueryTwoInstances(t *testing.T) {
	b, err := broker.New(broker.Listen("127.0.0.1:0"), broker.InMemory())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = b.Close() })
	start := func() (*engine.Engine, *engine.LiveRunner) {
		r := &engine.LiveRunner{Brokers: []string{b.Addr()}, StateDir: t.TempDir(), Log: slog.New(slog.DiscardHandler)}
		t.Cleanup(func() { _ = r.Close() })
		e := engine.New(r)
		e.Commands = &engine.TopicCommandLog{Runner: r, Topic: engine.CommandTopic(e.ServiceID)}
		return e, r
	}
	a, ra := start()
	exec(t, a, `CREATE STREAM s (k STRING KEY, v INT) WITH (KAFKA_TOPIC='s', VALUE_FORMAT='JSON', PARTITIONS=4);
		CREATE TABLE latest AS SELECT k, LATEST_BY_OFFSET(v) AS v FROM s GROUP BY k;`)
	bb, _ := start()
	if _, errs := bb.Sync(); len(errs) > 0 {
		t.Fatal(errs)
	}
	// Wait until both instances own tasks of the query.
	cl, err := kgo.NewClient(kgo.SeedBrokers(b.Addr()))
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close()
	group := "_confluent-ksql-default_query_" + a.Queries()[0].ID
	deadline := time.Now().Add(30 * time.Second)
	for {
		gs, err := kadm.NewClient(cl).DescribeGroups(t.Context(), group)
		busy := 0
		if err == nil {
			for _, m := range gs[group].Members {
				if as, ok := m.Assigned.AsConsumer(); ok && len(as.Topics) > 0 {
					busy++
				}
			}
		}
		if busy == 2 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the two instances never shared the query's tasks (%d with tasks)", busy)
		}
		time.Sleep(50 * time.Millisecond)
	}
	var keys []string
	for i := range 12 {
		k := fmt.Sprintf("k%d", i)
		keys = append(keys, k)
		exec(t, a, fmt.Sprintf("INSERT INTO s (k, v) VALUES ('%s', %d);", k, i))
	}
	waitTable(t, ra, "LATEST", func() []string {
		var want []string
		for i, k := range keys {
			want = append(want, fmt.Sprintf(`%s={"V":%d}`, k, i))
		}
		return want
	}()...)
	for _, e := range []*engine.Engine{a, bb} {
		deadline := time.Now().Add(30 * time.Second)
		for {
			res, err := e.ExecuteScript("SELECT * FROM latest;")
			if err != nil {
				t.Fatal(err)
			}
			if n := len(res[0].Pull.Rows); n == len(keys) {
				break
			} else if time.Now().After(deadline) {
				t.Fatalf("a scan answered %d of %d keys", n, len(keys))
			}
			time.Sleep(50 * time.Millisecond)
		}
		for _, k := range keys {
			res, err := e.ExecuteScript(fmt.Sprintf("SELECT * FROM latest WHERE k = '%s';", k))
			if err != nil {
				t.Fatal(err)
			}
			if len(res[0].Pull.Rows) != 1 {
				t.Fatalf("key %s: %d rows", k, len(res[0].Pull.Rows))
			}
		}
	}
}
