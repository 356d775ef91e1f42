package conformance

import (
	"flag"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/ksqlgo/ksqlgo/sql/qtt"
)

var (
	update = flag.Bool("update-known-failures", false, "rewrite testdata/known-failures.txt with the current failures")
	runRE  = flag.String("qtt.run", "", "only run QTT cases whose name matches this regexp")
)

const qttDir = "../../../shared/conformance/qtt"
const knownFile = "testdata/known-failures.txt"

// TestQTT runs the shared QTT files on the test driver. A core case failing that is not
// in testdata/known-failures.txt fails the test, and so does a known failure that now
// passes (remove it from the file: the count only goes up).
func TestQTT(t *testing.T) {
	if _, err := os.Stat(qttDir); err != nil {
		t.Skipf("no QTT files at %s", qttDir)
	}
	files, err := qtt.LoadDir(qttDir)
	if err != nil {
		t.Fatal(err)
	}
	var filter func(string) bool
	if *runRE != "" {
		re := regexp.MustCompile(*runRE)
		filter = re.MatchString
	}
	results := RunFiles(files, filter)
	sum := qtt.Summarize(results)
	t.Logf("QTT core: %d passed, %d failed, %d skipped", sum.Core.Passed, sum.Core.Failed, sum.Skipped)
	nj, njPass := 0, 0
	for _, r := range results {
		if r.Skipped || !r.Core || hasJoin(r.Features) {
			continue
		}
		nj++
		if r.Passed {
			njPass++
		}
	}
	postChecked, postFailed := 0, 0
	for _, r := range results {
		if r.PostChecked {
			postChecked++
			if r.PostFailure != "" {
				postFailed++
				t.Logf("post: %s: %s", r.Case, r.PostFailure)
			}
		}
	}
	t.Logf("QTT post.sources (separate score, README 1.11): %d of %d passing cases with post conditions meet them", postChecked-postFailed, postChecked)
	if nj > 0 {
		t.Logf("QTT core without JOIN: %d/%d passed (%.1f%%)", njPass, nj, 100*float64(njPass)/float64(nj))
	}
	checkKnownFailures(t, results, knownFile, *update, filter != nil, "go test ./sql/conformance -update-known-failures")
}

// checkKnownFailures is qtt.CheckKnownFailures.
func checkKnownFailures(t *testing.T, results []Result, knownFile string, update, filtered bool, updateCmd string) {
	t.Helper()
	qtt.CheckKnownFailures(t, results, knownFile, update, filtered, updateCmd)
}

func hasJoin(features []string) bool {
	for _, f := range features {
		if strings.HasPrefix(f, "join-") {
			return true
		}
	}
	return false
}
