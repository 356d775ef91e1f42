package conformance

import (
	"errors"
	"flag"
	"io/fs"
	"os"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/ksqlgo/ksqlgo/sql/qtt"
)

var (
	updateRQTT = flag.Bool("update-rqtt-known-failures", false, "rewrite testdata/rqtt-known-failures.txt with the current failures")
	rqttRunRE  = flag.String("rqtt.run", "", "only run RQTT cases whose name matches this regexp")
)

const rqttDir = "../../../shared/conformance/rqtt"
const rqttKnownFile = "testdata/rqtt-known-failures.txt"

// TestRQTT runs the shared RQTT files (pull and push queries, INSERT VALUES) on the test
// driver. A core case failing that is not in testdata/rqtt-known-failures.txt fails the
// test, and so does a known failure that now passes.
func TestRQTT(t *testing.T) {
	if _, err := os.Stat(rqttDir); err != nil {
		t.Skipf("no RQTT files at %s", rqttDir)
	}
	files, err := qtt.LoadRDir(rqttDir)
	if err != nil {
		t.Fatal(err)
	}
	var filter func(string) bool
	if *rqttRunRE != "" {
		filter = regexp.MustCompile(*rqttRunRE).MatchString
	}
	results := RunRFiles(files, filter)
	known, err := qtt.LoadKnownFailures(rqttKnownFile)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		t.Fatal(err)
	}
	failures := map[string]string{}
	var newFail, fixed []string
	queries, queriesPassed := 0, 0
	for _, r := range results {
		if r.Skipped || !r.Core {
			continue
		}
		if r.File != "insert-values" {
			queries++
			if r.Passed {
				queriesPassed++
			}
		}
		if !r.Passed {
			failures[r.Case] = firstLine(r.Reason)
			if _, ok := known[r.Case]; !ok {
				newFail = append(newFail, r.Case+": "+r.Reason)
			}
		} else if _, ok := known[r.Case]; ok {
			fixed = append(fixed, r.Case)
		}
	}
	sum := qtt.Summarize(results)
	t.Logf("RQTT core: %d passed, %d failed, %d skipped", sum.Core.Passed, sum.Core.Failed, sum.Skipped)
	t.Logf("RQTT core query cases (without insert-values): %d/%d passed", queriesPassed, queries)
	if *updateRQTT {
		if err := qtt.WriteKnownFailures(rqttKnownFile, failures); err != nil {
			t.Fatal(err)
		}
		return
	}
	if filter != nil {
		for _, r := range results {
			if !r.Passed && !r.Skipped {
				t.Logf("FAIL %s: %s", r.Case, r.Reason)
			}
		}
		return
	}
	sort.Strings(newFail)
	for _, f := range newFail {
		t.Errorf("new failure: %s", f)
	}
	if len(fixed) > 0 {
		sort.Strings(fixed)
		t.Errorf("these known failures pass now; remove them from %s (go test ./sql/conformance -run TestRQTT -update-rqtt-known-failures):\n%s", rqttKnownFile, strings.Join(fixed, "\n"))
	}
}
