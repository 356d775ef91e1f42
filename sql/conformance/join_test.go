package conformance

import (
	"flag"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/ksqlgo/ksqlgo/sql/engine"
	"github.com/ksqlgo/ksqlgo/sql/qtt"
)

var updateJoin = flag.Bool("update-join-schemas", false, "rewrite testdata/join-schema-known-failures.txt with the current mismatches")

const joinSchemaFile = "testdata/join-schema-known-failures.txt"

// TestJoinSchemas checks the join analysis before joins run: for every core QTT case
// that joins, expects no error and states the sink's schema in post.sources, the sink
// the engine plans for the last statement (Engine.PlanSink, after the other statements
// ran) must have that type and schema. Cases whose planned schema differs are listed in
// testdata/join-schema-known-failures.txt (go test ./sql/conformance -run TestJoinSchemas
// -update-join-schemas rewrites it); the list may only shrink.
func TestJoinSchemas(t *testing.T) {
	if _, err := os.Stat(qttDir); err != nil {
		t.Skipf("no QTT files at %s", qttDir)
	}
	files, err := qtt.LoadDir(qttDir)
	if err != nil {
		t.Fatal(err)
	}
	var results []Result
	for _, f := range files {
		for _, c := range qtt.Expand(f) {
			if !c.Core || !hasJoin(c.Features) || c.ExpectedException != nil || c.Post == nil || len(c.Statements) == 0 {
				continue
			}
			last := c.Statements[len(c.Statements)-1]
			var want *qtt.PostSource
			for i, s := range c.Post.Sources {
				if s.Schema != "" && strings.Contains(strings.ToUpper(last), strings.ToUpper(s.Name)) && strings.Contains(strings.ToUpper(last), " JOIN ") {
					want = &c.Post.Sources[i]
				}
			}
			if want == nil {
				continue
			}
			r := Result{Case: c.Name, File: c.File, Core: true, Features: c.Features}
			res := runGuarded(r, "", func() error { return checkJoinSchema(c, last, want) })
			results = append(results, res)
		}
	}
	passed := 0
	for _, r := range results {
		if r.Passed {
			passed++
		}
	}
	t.Logf("JOIN analysis: %d of %d planned join sinks have the schema of post.sources", passed, len(results))
	checkKnownFailures(t, results, joinSchemaFile, *updateJoin, false, "go test ./sql/conformance -run TestJoinSchemas -update-join-schemas")
}

func checkJoinSchema(c qtt.Case, last string, want *qtt.PostSource) error {
	h := &harness{topics: map[string][]topicRecord{}}
	e := engine.New(h)
	for k, v := range c.Properties {
		e.Props[k] = v
	}
	for _, s := range c.Statements[:len(c.Statements)-1] {
		if _, err := e.ExecuteScript(s); err != nil {
			return err
		}
	}
	sink, err := e.PlanSink(last)
	if err != nil {
		return err
	}
	if !strings.EqualFold(want.Type, sink.Kind()) {
		return fmt.Errorf("%s is a %s, want %s", sink.Name, sink.Kind(), want.Type)
	}
	return compareSchema(sink, want.Schema)
}
