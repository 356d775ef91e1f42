package dsl_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/ksqlgo/ksqlgo/dsl"
	"github.com/ksqlgo/ksqlgo/runtime/ttd"
	"github.com/ksqlgo/ksqlgo/serde"
)

// The foreign-key join tests mirror ksqlDB's QTT file fk-join.json: left_table (l_id
// BIGINT key, name, foreign_key) joined with right_table (r_id BIGINT key, f1, f2) on
// foreign_key = r_id, the output "R_ID/NAME/F1" per left key.

type fkLeft struct {
	Name string `json:"NAME"`
	FK   *int64 `json:"FOREIGN_KEY"`
}

type fkRight struct {
	F1 string `json:"F1"`
	F2 int64  `json:"F2"`
}

var (
	fkLeftSerdes  = dsl.Consumed(serde.Int64(), serde.JSON[fkLeft]())
	fkRightSerdes = dsl.Consumed(serde.Int64(), serde.JSON[fkRight]())
)

func fkOf(_ int64, v fkLeft) (int64, bool) {
	if v.FK == nil {
		return 0, false
	}
	return *v.FK, true
}

func fkInner(_ int64, l fkLeft, r fkRight) string {
	return fmt.Sprintf("%d/%s/%s", *l.FK, l.Name, r.F1)
}

func fkLeftJoiner(_ int64, l fkLeft, r fkRight, found bool) string {
	if !found {
		return "null/" + l.Name + "/null"
	}
	return fmt.Sprintf("%d/%s/%s", *l.FK, l.Name, r.F1)
}

// fkTopology joins left_topic and right_topic with join, writes the result to "OUTPUT"
// and its row count (an aggregation over the new and old values) to "rows".
func fkTopology(join func(l dsl.Table[int64, fkLeft], r dsl.Table[int64, fkRight]) dsl.Table[int64, string]) *dsl.Builder {
	b := dsl.NewBuilder()
	res := join(dsl.TableOf(b, "left_topic", fkLeftSerdes), dsl.TableOf(b, "right_topic", fkRightSerdes)).
		WithSerdes(nil, serde.JSON[string]())
	res.ToStream().To("OUTPUT")
	dsl.TableGroupBy(res, func(_ int64, v string) (string, string) { return "all", v }, serde.String(), serde.JSON[string]()).
		Count().ToStream().To("rows", dsl.Produced(serde.String(), serde.Int64()))
	return b
}

// fkStep pipes one record into "l" (left_topic) or "r" (right_topic); a nil value is a
// tombstone. want is the output it causes, as "key:value@ts" ("key:<null>@ts" for a
// delete); rows, when not -1, the number of rows of the result afterwards.
type fkStep struct {
	topic string
	key   int64
	value any // fkLeft, fkRight or nil
	ts    int64
	want  []string
	rows  int64
}

func fk(v int64) *int64 { return &v }

func runFKSteps(t *testing.T, d *ttd.Driver, steps []fkStep) {
	t.Helper()
	left := ttd.NewInputTopic(d, "left_topic", serde.Int64(), serde.JSON[*fkLeft]())
	right := ttd.NewInputTopic(d, "right_topic", serde.Int64(), serde.JSON[*fkRight]())
	out := ttd.NewOutputTopic(d, "OUTPUT", serde.Int64(), serde.JSON[string]())
	rows := ttd.NewOutputTopic(d, "rows", serde.String(), serde.Int64())
	for i, s := range steps {
		var err error
		switch v := s.value.(type) {
		case fkLeft:
			err = left.Pipe(s.key, &v, s.ts)
		case fkRight:
			err = right.Pipe(s.key, &v, s.ts)
		case nil:
			if s.topic == "l" {
				err = left.PipeTombstone(s.key, s.ts)
			} else {
				err = right.PipeTombstone(s.key, s.ts)
			}
		}
		if err != nil {
			t.Fatalf("step %d: %v", i, err)
		}
		recs, err := out.Read()
		if err != nil {
			t.Fatalf("step %d: %v", i, err)
		}
		var got []string
		for _, r := range recs {
			v := r.Value
			if r.Null {
				v = "<null>"
			}
			got = append(got, fmt.Sprintf("%d:%s@%d", r.Key, v, r.Timestamp))
		}
		if !slices.Equal(got, s.want) {
			t.Errorf("step %d (%s %d@%d): output\n got %q\nwant %q", i, s.topic, s.key, s.ts, got, s.want)
		}
		counts, err := rows.Read()
		if err != nil {
			t.Fatalf("step %d: %v", i, err)
		}
		if s.rows >= 0 && (len(counts) == 0 || counts[len(counts)-1].Value != s.rows) {
			t.Errorf("step %d: row counts %v, want last %d", i, counts, s.rows)
		}
	}
	if m := d.Metrics(); m.ProcessingErrors != 0 || m.DeserializationErrors != 0 {
		t.Errorf("metrics %+v", m)
	}
}

// TestFKJoinTables is QTT "Should support inner join with left value-column expression".
func TestFKJoinTables(t *testing.T) {
	d := newDriver(t, fkTopology(func(l dsl.Table[int64, fkLeft], r dsl.Table[int64, fkRight]) dsl.Table[int64, string] {
		return dsl.FKJoinTables(l, r, fkOf, fkInner)
	}))
	runFKSteps(t, d, []fkStep{
		{"r", 0, fkRight{"blah", 4}, 0, nil, -1},
		{"l", 1, fkLeft{"zero", fk(0)}, 10000, []string{`1:0/zero/blah@10000`}, 1},
		{"l", 0, fkLeft{"foo", fk(100)}, 13000, nil, -1}, // no right row: nothing
		{"r", 0, fkRight{"a", 10}, 15000, []string{`1:0/zero/a@15000`}, 1},
		{"l", 10, fkLeft{"bar", fk(0)}, 16000, []string{`10:0/bar/a@16000`}, 2},
		{"r", 0, nil, 17000, []string{`1:<null>@17000`, `10:<null>@17000`}, 0},
		{"l", 1, nil, 18000, []string{`1:<null>@18000`}, -1}, // a delete even with no joined row
	})
}

// TestLeftFKJoinTables is QTT "Should support left join with left value-column
// expression".
func TestLeftFKJoinTables(t *testing.T) {
	d := newDriver(t, fkTopology(func(l dsl.Table[int64, fkLeft], r dsl.Table[int64, fkRight]) dsl.Table[int64, string] {
		return dsl.LeftFKJoinTables(l, r, fkOf, fkLeftJoiner)
	}))
	runFKSteps(t, d, []fkStep{
		{"l", 1, fkLeft{"zero", fk(0)}, 0, []string{`1:null/zero/null@0`}, 1},
		{"r", 0, fkRight{"blah", 4}, 10000, []string{`1:0/zero/blah@10000`}, 1},
		{"l", 1, fkLeft{"zero", fk(0)}, 11000, []string{`1:0/zero/blah@11000`}, 1},
		{"l", 0, fkLeft{"foo", fk(100)}, 13000, []string{`0:null/foo/null@13000`}, 2},
		{"r", 0, fkRight{"a", 10}, 15000, []string{`1:0/zero/a@15000`}, 2},
		{"l", 10, fkLeft{"bar", fk(0)}, 16000, []string{`10:0/bar/a@16000`}, 3},
		{"r", 0, nil, 17000, []string{`1:null/zero/null@17000`, `10:null/bar/null@17000`}, 3},
		{"l", 1, nil, 18000, []string{`1:<null>@18000`}, 2},
		{"l", 0, nil, 19000, []string{`0:<null>@19000`}, 1},
	})
}

// TestFKJoinTablesComputedKey is QTT "Should support non-column reference in left join
// expression": the foreign key is foreign_key + 1.
func TestFKJoinTablesComputedKey(t *testing.T) {
	d := newDriver(t, fkTopology(func(l dsl.Table[int64, fkLeft], r dsl.Table[int64, fkRight]) dsl.Table[int64, string] {
		return dsl.FKJoinTables(l, r,
			func(_ int64, v fkLeft) (int64, bool) {
				if v.FK == nil {
					return 0, false
				}
				return *v.FK + 1, true
			},
			func(_ int64, l fkLeft, r fkRight) string { return fmt.Sprintf("%d/%s/%s", *l.FK+1, l.Name, r.F1) })
	}))
	runFKSteps(t, d, []fkStep{
		{"r", 0, fkRight{"blah", 4}, 0, nil, -1},
		{"l", 1, fkLeft{"zero", fk(-1)}, 10000, []string{`1:0/zero/blah@10000`}, 1},
		{"l", 0, fkLeft{"foo", fk(99)}, 13000, nil, -1},
		{"r", 0, fkRight{"a", 10}, 15000, []string{`1:0/zero/a@15000`}, 1},
		{"l", 10, fkLeft{"bar", fk(-1)}, 16000, []string{`10:0/bar/a@16000`}, 2},
		{"r", 0, nil, 17000, []string{`1:<null>@17000`, `10:<null>@17000`}, 0},
		{"l", 1, nil, 18000, []string{`1:<null>@18000`}, -1},
	})
}

// fkCompositeKey is the key of QTT "Should support inner join with left key-column
// expression": the foreign key is part of the left key.
type fkCompositeKey struct {
	ID int64 `json:"L_ID"`
	FK int64 `json:"L_ID_2_FOREIGN_KEY"`
}

// TestFKJoinTablesKeyColumn is QTT "Should support inner join with left key-column
// expression".
func TestFKJoinTablesKeyColumn(t *testing.T) {
	b := dsl.NewBuilder()
	type leftValue struct {
		Name  string `json:"NAME"`
		Value int64  `json:"VALUE"`
	}
	ks := serde.JSON[fkCompositeKey]()
	l := dsl.TableOf(b, "left_topic", dsl.Consumed(ks, serde.JSON[*leftValue]()))
	r := dsl.TableOf(b, "right_topic", dsl.Consumed(serde.Int64(), serde.JSON[*fkRight]()))
	dsl.FKJoinTables(l, r,
		func(k fkCompositeKey, _ *leftValue) (int64, bool) { return k.FK, true },
		func(k fkCompositeKey, l *leftValue, r *fkRight) string {
			return fmt.Sprintf("%d/%s/%s", k.FK, l.Name, r.F1)
		}).
		ToStream().To("OUTPUT", dsl.Produced(ks, serde.JSON[string]()))
	d := newDriver(t, b)
	lt := ttd.NewInputTopic(d, "left_topic", ks, serde.JSON[*leftValue]())
	rt := ttd.NewInputTopic(d, "right_topic", serde.Int64(), serde.JSON[*fkRight]())
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(rt.Pipe(0, &fkRight{"blah", 4}, 0))
	must(lt.Pipe(fkCompositeKey{1, 0}, &leftValue{"zero", 0}, 10000))
	must(lt.Pipe(fkCompositeKey{0, 100}, &leftValue{"foo", 100}, 13000))
	must(rt.Pipe(0, &fkRight{"a", 10}, 15000))
	must(lt.Pipe(fkCompositeKey{10, 0}, &leftValue{"bar", 0}, 16000))
	must(rt.PipeTombstone(0, 17000))
	must(lt.PipeTombstone(fkCompositeKey{1, 0}, 18000))
	checkOutput(t, d, "OUTPUT",
		`{"L_ID":1,"L_ID_2_FOREIGN_KEY":0}:"0/zero/blah"@10000`,
		`{"L_ID":1,"L_ID_2_FOREIGN_KEY":0}:"0/zero/a"@15000`,
		`{"L_ID":10,"L_ID_2_FOREIGN_KEY":0}:"0/bar/a"@16000`,
		`{"L_ID":1,"L_ID_2_FOREIGN_KEY":0}:<null>@17000`,
		`{"L_ID":10,"L_ID_2_FOREIGN_KEY":0}:<null>@17000`,
		`{"L_ID":1,"L_ID_2_FOREIGN_KEY":0}:<null>@18000`,
	)
}

// TestFKJoinTablesForeignKeyChange: a left row that moves to another foreign key joins
// the new right row and no longer receives the old one's updates; a row that loses its
// foreign key is deleted (inner join) and joins nothing until it gets one again. The
// timestamp of an update from the left is the larger of the two rows'.
func TestFKJoinTablesForeignKeyChange(t *testing.T) {
	d := newDriver(t, fkTopology(func(l dsl.Table[int64, fkLeft], r dsl.Table[int64, fkRight]) dsl.Table[int64, string] {
		return dsl.FKJoinTables(l, r, fkOf, fkInner)
	}))
	runFKSteps(t, d, []fkStep{
		{"r", 1, fkRight{"one", 0}, 100, nil, -1},
		{"r", 2, fkRight{"two", 0}, 200, nil, -1},
		{"l", 7, fkLeft{"x", fk(1)}, 50, []string{`7:1/x/one@100`}, 1}, // the right row is later
		{"l", 7, fkLeft{"x", fk(2)}, 300, []string{`7:2/x/two@300`}, 1},
		{"r", 1, fkRight{"uno", 0}, 400, nil, -1},                      // no longer subscribed
		{"r", 2, fkRight{"dos", 0}, 500, []string{`7:2/x/dos@500`}, 1}, // still subscribed
		{"l", 7, fkLeft{"x", nil}, 600, []string{`7:<null>@600`}, 0},   // lost its foreign key
		{"r", 2, fkRight{"deux", 0}, 700, nil, -1},
		{"l", 7, fkLeft{"y", nil}, 800, nil, -1},                        // still none: nothing
		{"l", 7, fkLeft{"y", fk(3)}, 900, []string{`7:<null>@900`}, -1}, // no right row
		{"r", 3, fkRight{"three", 0}, 1000, []string{`7:3/y/three@1000`}, 1},
		{"l", 8, fkLeft{"z", nil}, 1100, nil, -1}, // a new row without foreign key
		{"l", 8, nil, 1200, nil, -1},
	})
}

// TestLeftFKJoinTablesNullForeignKey: in a left join a row without foreign key joins with
// found false, and moving between foreign keys or to none updates the row.
func TestLeftFKJoinTablesNullForeignKey(t *testing.T) {
	d := newDriver(t, fkTopology(func(l dsl.Table[int64, fkLeft], r dsl.Table[int64, fkRight]) dsl.Table[int64, string] {
		return dsl.LeftFKJoinTables(l, r, fkOf, fkLeftJoiner)
	}))
	runFKSteps(t, d, []fkStep{
		{"r", 1, fkRight{"one", 0}, 100, nil, -1},
		{"l", 7, fkLeft{"x", nil}, 200, []string{`7:null/x/null@200`}, 1},
		{"l", 7, fkLeft{"x", fk(1)}, 300, []string{`7:1/x/one@300`}, 1},
		{"l", 7, fkLeft{"x", nil}, 400, []string{`7:null/x/null@400`}, 1},
		{"r", 1, fkRight{"uno", 0}, 500, nil, -1}, // not subscribed any more
		{"l", 7, fkLeft{"x", fk(2)}, 600, []string{`7:null/x/null@600`}, 1},
		{"l", 7, nil, 700, []string{`7:<null>@700`}, 0},
		{"r", 2, fkRight{"two", 0}, 800, nil, -1},
	})
}

// TestFKJoinTablesTopology checks the names of the internal topics and stores, and that
// the subscription topic is read with the right table's store and the response topic
// with the left table's.
func TestFKJoinTablesTopology(t *testing.T) {
	b := dsl.NewBuilder()
	dsl.FKJoinTables(dsl.TableOf(b, "left_topic", fkLeftSerdes), dsl.TableOf(b, "right_topic", fkRightSerdes), fkOf, fkInner, dsl.Named("fk")).
		WithSerdes(nil, serde.JSON[string]()).ToStream().To("OUTPUT")
	topo, err := b.Build()
	if err != nil {
		t.Fatal(err)
	}
	got := topo.InternalTopics()
	slices.Sort(got)
	want := []string{"KTABLE-MATERIALIZE-0000000004-store-changelog", "fk-output-store-changelog",
		"fk-subscription-registration", "fk-subscription-response", "fk-subscription-store-changelog"}
	if !slices.Equal(got, want) {
		t.Errorf("internal topics %q, want %q", got, want)
	}
	desc := topo.Describe()
	for _, want := range []string{"fk-subscription-store", "fk-output-store", "fk-subscription-send", "fk-subscription-receive", "fk-foreign-update"} {
		if !strings.Contains(desc, want) {
			t.Errorf("topology has no %q:\n%s", want, desc)
		}
	}
}

// TestFKJoinTablesBadInput: undecodable records, in the inputs or in the internal topics,
// go to the error policies (counted and skipped) and the join goes on.
func TestFKJoinTablesBadInput(t *testing.T) {
	b := dsl.NewBuilder()
	dsl.FKJoinTables(dsl.TableOf(b, "left_topic", fkLeftSerdes), dsl.TableOf(b, "right_topic", fkRightSerdes), fkOf, fkInner, dsl.Named("fk")).
		WithSerdes(nil, serde.JSON[string]()).ToStream().To("OUTPUT")
	d := newDriver(t, b)
	key, _ := serde.Int64().Serialize("", 1)
	for _, in := range []struct{ topic, value string }{
		{"left_topic", "{"},
		{"ttd-fk-subscription-registration", "\x07"},
		{"ttd-fk-subscription-registration", "\x00\x09\x00\x00"},
		{"ttd-fk-subscription-response", "\x00\x01\xff"},
	} {
		if err := d.Pipe(in.topic, key, []byte(in.value), 1); err != nil {
			t.Fatalf("pipe %q into %s: %v", in.value, in.topic, err)
		}
	}
	if err := d.Pipe("ttd-fk-subscription-registration", []byte{1}, []byte{0, 2, 0, 0, 0, 0, 0}, 1); err != nil {
		t.Fatal(err) // a foreign key of the wrong size
	}
	m := d.Metrics()
	if m.DeserializationErrors+m.ProcessingErrors != 5 {
		t.Errorf("metrics %+v, want 5 errors", m)
	}
	checkOutput(t, d, "OUTPUT")
	runFKStepsNoMetrics(t, d)
}

// runFKStepsNoMetrics checks that a join still works after bad input.
func runFKStepsNoMetrics(t *testing.T, d *ttd.Driver) {
	t.Helper()
	left := ttd.NewInputTopic(d, "left_topic", serde.Int64(), serde.JSON[fkLeft]())
	right := ttd.NewInputTopic(d, "right_topic", serde.Int64(), serde.JSON[fkRight]())
	if err := right.Pipe(5, fkRight{"five", 0}, 10); err != nil {
		t.Fatal(err)
	}
	if err := left.Pipe(1, fkLeft{"one", fk(5)}, 20); err != nil {
		t.Fatal(err)
	}
	checkOutput(t, d, "OUTPUT", ``+"\x00\x00\x00\x00\x00\x00\x00\x01"+`:"5/one/five"@20`)
}

func TestFKJoinTablesBuildErrors(t *testing.T) {
	for _, tc := range []struct {
		name string
		join func(b *dsl.Builder)
		want string
	}{
		{"nil foreign key", func(b *dsl.Builder) {
			dsl.FKJoinTables(dsl.TableOf(b, "l", fkLeftSerdes), dsl.TableOf(b, "r", fkRightSerdes), nil, fkInner)
		}, "nil foreign key function"},
		{"nil joiner", func(b *dsl.Builder) {
			dsl.LeftFKJoinTables[int64, fkLeft, int64, fkRight, string](dsl.TableOf(b, "l", fkLeftSerdes), dsl.TableOf(b, "r", fkRightSerdes), fkOf, nil)
		}, "nil joiner"},
		{"no serdes", func(b *dsl.Builder) {
			r := dsl.MapTableValues(dsl.TableOf(b, "r", fkRightSerdes), func(_ int64, v fkRight) string { return v.F1 })
			dsl.FKJoinTables(dsl.TableOf(b, "l", fkLeftSerdes), r, fkOf, func(_ int64, l fkLeft, r string) string { return r })
		}, "no key or value serde"},
		{"other builder", func(b *dsl.Builder) {
			dsl.FKJoinTables(dsl.TableOf(b, "l", fkLeftSerdes), dsl.TableOf(dsl.NewBuilder(), "r", fkRightSerdes), fkOf, fkInner)
		}, "another Builder"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b := dsl.NewBuilder()
			tc.join(b)
			if _, err := b.Build(); !errorsContains(err, tc.want) {
				t.Errorf("Build: %v, want %q", err, tc.want)
			}
		})
	}
}

// TestFKJoinTablesSelf joins a table with itself (employees with their manager): one
// topic feeds both sides, and the two internal topics take its partition count.
func TestFKJoinTablesSelf(t *testing.T) {
	type emp struct {
		Name    string `json:"name"`
		Manager string `json:"manager"`
	}
	b := dsl.NewBuilder()
	emps := dsl.TableOf(b, "emps", dsl.Consumed(serde.String(), serde.JSON[emp]()))
	dsl.LeftFKJoinTables(emps, emps,
		func(_ string, e emp) (string, bool) { return e.Manager, e.Manager != "" },
		func(_ string, e, m emp, found bool) string {
			if !found {
				return e.Name + " reports to nobody"
			}
			return e.Name + " reports to " + m.Name
		}).ToStream().To("out", joined)
	d := newDriver(t, b)
	in := ttd.NewInputTopic(d, "emps", serde.String(), serde.JSON[emp]())
	for _, e := range []struct {
		id string
		e  emp
	}{{"1", emp{"Ann", ""}}, {"2", emp{"Bob", "1"}}, {"1", emp{"Anne", ""}}, {"3", emp{"Cid", "2"}}} {
		if err := in.Pipe(e.id, e.e, 1); err != nil {
			t.Fatal(err)
		}
	}
	checkOutput(t, d, "out",
		`1:"Ann reports to nobody"@1`,
		`2:"Bob reports to Ann"@1`,
		`1:"Anne reports to nobody"@1`,
		`2:"Bob reports to Anne"@1`,
		`3:"Cid reports to Bob"@1`,
	)
}
