package dsl_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/ksqlgo/ksqlgo/dsl"
	"github.com/ksqlgo/ksqlgo/runtime/ttd"
	"github.com/ksqlgo/ksqlgo/serde"
)

// tableStep pipes one record (or a tombstone) into "l" or "r" and expects the output of
// "out" (and, when rows is not -1, the number of rows of the join result, counted from
// its new and old values by a table aggregation).
type tableStep struct {
	topic string
	key   string
	value int // -1: tombstone
	ts    int64
	want  []string
	rows  int64
}

func runTableSteps(t *testing.T, d *ttd.Driver, steps []tableStep) {
	t.Helper()
	for i, s := range steps {
		if s.value < 0 {
			tombstone(t, d, s.topic, s.key, s.ts)
		} else {
			pipe(t, d, s.topic, in{s.key, s.value, s.ts})
		}
		t.Logf("step %d: %s %s=%d@%d", i, s.topic, s.key, s.value, s.ts)
		checkOutput(t, d, "out", s.want...)
		if s.rows >= 0 {
			counts := output(d, "rows")
			if len(counts) == 0 || counts[len(counts)-1][len("all:"):len("all:")+8] != string(int64Bytes(s.rows)) {
				t.Errorf("step %d: row counts %q, want last %d", i, counts, s.rows)
			}
		}
	}
}

func int64Bytes(n int64) []byte {
	b, _ := serde.Int64().Serialize("", n)
	return b
}

// tableJoinTopology builds l and r as tables joined by join, the result written to
// "out" and its row count (an aggregation over the new and old values) to "rows".
func tableJoinTopology(t *testing.T, join func(l, r dsl.Table[string, int]) dsl.Table[string, string]) *ttd.Driver {
	b := dsl.NewBuilder()
	res := join(dsl.TableOf(b, "l", consumed), dsl.TableOf(b, "r", consumed)).WithSerdes(nil, serde.JSON[string]())
	res.ToStream().To("out", joined)
	dsl.TableGroupBy(res, func(_ string, v string) (string, string) { return "all", v }, serde.String(), serde.JSON[string]()).
		Count().ToStream().To("rows")
	return newDriver(t, b)
}

func show(v int, found bool) string {
	if !found {
		return "null"
	}
	return fmt.Sprint(v)
}

func TestJoinTables(t *testing.T) {
	d := tableJoinTopology(t, func(l, r dsl.Table[string, int]) dsl.Table[string, string] {
		return dsl.JoinTables(l, r, func(_ string, a, b int) string { return fmt.Sprintf("%d+%d", a, b) })
	})
	runTableSteps(t, d, []tableStep{
		{"l", "a", 1, 5, nil, -1},
		{"r", "a", 10, 3, []string{`a:"1+10"@5`}, 1}, // the larger timestamp
		{"l", "a", 2, 7, []string{`a:"2+10"@7`}, 1},
		{"r", "a", 11, 9, []string{`a:"2+11"@9`}, 1},
		{"l", "a", -1, 10, []string{`a:<null>@10`}, 0}, // a delete deletes the joined row
		{"r", "a", -1, 11, nil, -1},
		{"r", "b", 20, 12, nil, -1},
		{"l", "b", 0, 13, []string{`b:"0+20"@13`}, 1},
		{"r", "b", -1, 14, []string{`b:<null>@14`}, 0},
	})
}

func TestLeftJoinTables(t *testing.T) {
	d := tableJoinTopology(t, func(l, r dsl.Table[string, int]) dsl.Table[string, string] {
		return dsl.LeftJoinTables(l, r, func(_ string, a, b int, found bool) string { return fmt.Sprintf("%d+%s", a, show(b, found)) })
	})
	runTableSteps(t, d, []tableStep{
		{"l", "a", 1, 5, []string{`a:"1+null"@5`}, 1},
		{"r", "a", 10, 3, []string{`a:"1+10"@5`}, 1},
		{"r", "a", -1, 8, []string{`a:"1+null"@8`}, 1}, // back to a left-only row
		{"l", "a", -1, 9, []string{`a:<null>@9`}, 0},
		{"r", "b", 2, 10, nil, -1}, // no left row: nothing
		{"l", "b", 3, 11, []string{`b:"3+2"@11`}, 1},
	})
}

func TestOuterJoinTables(t *testing.T) {
	d := tableJoinTopology(t, func(l, r dsl.Table[string, int]) dsl.Table[string, string] {
		return dsl.OuterJoinTables(l, r, func(_ string, a int, aok bool, b int, bok bool) string {
			return show(a, aok) + "+" + show(b, bok)
		})
	})
	runTableSteps(t, d, []tableStep{
		{"l", "a", 1, 5, []string{`a:"1+null"@5`}, 1},
		{"r", "b", 2, 6, []string{`b:"null+2"@6`}, 2},
		{"r", "a", 10, 7, []string{`a:"1+10"@7`}, 2},
		{"l", "a", -1, 8, []string{`a:"null+10"@8`}, 2},
		{"r", "a", -1, 9, []string{`a:<null>@9`}, 1},
		{"r", "b", -1, 10, []string{`b:<null>@10`}, 0},
	})
}

// TestJoinTablesOfAggregations: aggregations' stores keep timestamps and are read as
// they are, with no extra store.
func TestJoinTablesOfAggregations(t *testing.T) {
	b := dsl.NewBuilder()
	l := dsl.StreamOf(b, "l", consumed).GroupByKey().Count(dsl.Named("lc"))
	r := dsl.StreamOf(b, "r", consumed).GroupByKey().Count(dsl.Named("rc"))
	dsl.JoinTables(l, r, func(_ string, a, b int64) string { return fmt.Sprintf("%d/%d", a, b) }).
		ToStream().To("out", joined)
	if desc := describeTopo(t, b); strings.Contains(desc, "KTABLE-MATERIALIZE") {
		t.Errorf("aggregations were materialized again:\n%s", desc)
	}
	d := newDriver(t, b)
	pipe(t, d, "l", in{"a", 0, 5}, in{"a", 0, 6})
	pipe(t, d, "r", in{"a", 0, 2})
	checkOutput(t, d, "out", `a:"2/1"@6`)
}
