package conformance

import (
	"flag"
	"os"
	"regexp"
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
	queries, queriesPassed := 0, 0
	for _, r := range results {
		if r.Skipped || !r.Core || r.File == "insert-values" {
			continue
		}
		queries++
		if r.Passed {
			queriesPassed++
		}
	}
	sum := qtt.Summarize(results)
	t.Logf("RQTT core: %d passed, %d failed, %d skipped", sum.Core.Passed, sum.Core.Failed, sum.Skipped)
	t.Logf("RQTT core query cases (without insert-values): %d/%d passed", queriesPassed, queries)
	checkKnownFailures(t, results, rqttKnownFile, *updateRQTT, filter != nil, "go test ./sql/conformance -run TestRQTT -update-rqtt-known-failures")
}
