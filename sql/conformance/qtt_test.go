package conformance

import (
	"errors"
	"flag"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
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

// checkKnownFailures compares the core results with the known failures listed in
// knownFile. With update set it rewrites the file with the current failures; with
// filtered set (a run of some cases only) it logs the failures; otherwise a core case
// failing that is not in the file fails the test, and so does a known failure that now
// passes (updateCmd is the command that rewrites the file).
func checkKnownFailures(t *testing.T, results []Result, knownFile string, update, filtered bool, updateCmd string) {
	t.Helper()
	known, err := qtt.LoadKnownFailures(knownFile)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		t.Fatal(err)
	}
	failures := map[string]string{}
	var newFail, fixed []string
	for _, r := range results {
		if r.Skipped || !r.Core {
			continue
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
	if update {
		if err := os.MkdirAll(filepath.Dir(knownFile), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := qtt.WriteKnownFailures(knownFile, failures); err != nil {
			t.Fatal(err)
		}
		return
	}
	if filtered {
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
		t.Errorf("these known failures pass now; remove them from %s (%s):\n%s", knownFile, updateCmd, strings.Join(fixed, "\n"))
	}
}

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		s = s[:i]
	}
	if len(s) > 160 {
		s = s[:160]
	}
	return s
}

func hasJoin(features []string) bool {
	for _, f := range features {
		if strings.HasPrefix(f, "join-") {
			return true
		}
	}
	return false
}
