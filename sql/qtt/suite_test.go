package qtt

import (
	"fmt"
	"os"
	"sort"
	"strings"
	"sync"
	"testing"
)

// qttDir holds upstream's QTT files (shared/conformance/qtt).
const qttDir = "../../../shared/conformance/qtt"

var suite = sync.OnceValues(func() ([]*File, error) { return LoadDir(qttDir) })

// loadSuite loads the conformance QTT files once, skipping the test when they are not
// checked out next to the repository.
func loadSuite(t *testing.T) []*File {
	t.Helper()
	if _, err := os.Stat(qttDir); err != nil {
		t.Skipf("conformance files not available: %v", err)
	}
	files, err := suite()
	if err != nil {
		t.Fatal(err)
	}
	return files
}

var suiteExpanded = sync.OnceValue(func() []Case {
	files, _ := suite()
	var out []Case
	for _, f := range files {
		out = append(out, Expand(f)...)
	}
	return out
})

// suiteCases expands every file of the suite once; callers must not modify the cases.
func suiteCases(t *testing.T) []Case {
	t.Helper()
	loadSuite(t)
	return suiteExpanded()
}

// readmeFeatureCounts is README 4.1's table: core cases, and core cases excluding
// expected-error tests, per feature class, over the 108 selected files (not sum.json).
var readmeFeatureCounts = map[string][2]int{
	"stateless": {572, 476}, "stateless-plain": {346, 260}, "where": {104, 76},
	"predicates": {82, 56}, "scalar-fn": {244, 225}, "string-fn": {68, 61},
	"math-fn": {62, 56}, "datetime-fn": {28, 24}, "arraymap-fn": {37, 36},
	"json-fn": {25, 25}, "lambda-fn": {6, 6}, "cast": {12, 11}, "case": {10, 9},
	"arithmetic": {66, 52}, "join-ss": {129, 92}, "join-st": {59, 44}, "join-tt": {22, 18},
	"join-fk": {27, 19}, "join-nway": {52, 40}, "group-by": {322, 262}, "having": {17, 13},
	"window-tumbling": {44, 33}, "window-hopping": {9, 9}, "window-session": {21, 21},
	"emit-final": {18, 15}, "windowed-source": {23, 8}, "windowed-records": {67, 67},
	"partition-by": {18, 8}, "insert-select": {15, 6}, "insert-values": {5, 0},
	"table-source": {182, 134}, "tombstones": {135, 135}, "nulls": {31, 25},
	"structs": {82, 61}, "arrays": {132, 107}, "maps": {98, 65}, "rowtime": {14, 10},
	"rowpartition-offset": {20, 12}, "windowbounds": {24, 9}, "datetime-types": {30, 26},
	"ts-extraction": {18, 16}, "decimal": {50, 45}, "bytes": {35, 31}, "headers": {13, 8},
	"multi-col-keys": {44, 44}, "table-fn": {25, 21}, "fmt-json": {991, 781},
	"fmt-kafka": {52, 24}, "fmt-kafka-default": {951, 750}, "fmt-delimited": {233, 153},
	"fmt-none": {15, 10}, "expected-error": {306, 0},
}

// featureTolerance lists the classes whose pattern rules knowingly differ from the
// README table, with the allowed absolute difference per column.
var featureTolerance = map[string]int{
	// A WHERE clause of parenthesized comparisons is not a function call here.
	"stateless-plain": 1,
	// MAP<STRING, TIMESTAMP> and every TIMESTAMP/DATE/TIME column count as type uses.
	"datetime-types": 1,
}

// TestCoreSubset checks the core totals of README section 3 and compares the feature
// classification with README 4.1, logging the per-feature counts.
func TestCoreSubset(t *testing.T) {
	var core, coreErr, sumCore int
	byFormat := map[string]int{}
	all := map[string]int{}
	noErr := map[string]int{}
	total := 0
	for _, c := range suiteCases(t) {
		if c.File != "sum" && c.Enabled { // README 1.3: disabled tests have no cases
			total++
		}
		if !c.Core {
			if c.NonCoreReason == "" {
				t.Errorf("%s: non-core without a reason", c.Name)
			}
			continue
		}
		if c.File == "sum" { // README counts sum.json separately
			sumCore++
			continue
		}
		core++
		byFormat[c.Format]++
		if c.ExpectsError() {
			coreErr++
		}
		for _, f := range c.Features {
			all[f]++
			if !c.ExpectsError() {
				noErr[f]++
			}
		}
	}
	check := func(what string, got, want int) {
		t.Helper()
		if got != want {
			t.Errorf("%s = %d, want %d", what, got, want)
		}
	}
	check("test cases (108 files)", total, 1578)
	check("core cases", core, 1235)
	check("core expected-error cases", coreErr, 306)
	check("core cases without format", byFormat[""], 1107)
	check("core JSON cases", byFormat["JSON"], 107)
	check("core DELIMITED cases", byFormat["DELIMITED"], 11)
	check("core KAFKA cases", byFormat["KAFKA"], 10)
	check("sum.json core cases", sumCore, 7)
	check("formats", len(byFormat), 4)

	var b strings.Builder
	fmt.Fprintf(&b, "%-20s %6s %6s   %s\n", "feature", "core", "no-err", "README core, no-err")
	for _, id := range FeatureOrder {
		want := readmeFeatureCounts[id]
		mark := ""
		if all[id] != want[0] || noErr[id] != want[1] {
			mark = "  (differs)"
		}
		fmt.Fprintf(&b, "%-20s %6d %6d   %6d %6d%s\n", id, all[id], noErr[id], want[0], want[1], mark)
		tol := featureTolerance[id]
		if abs(all[id]-want[0]) > tol || abs(noErr[id]-want[1]) > tol {
			t.Errorf("feature %s: %d/%d core cases, README says %d/%d", id, all[id], noErr[id], want[0], want[1])
		}
	}
	t.Logf("core cases per feature class:\n%s", b.String())
}

func abs(v int) int {
	if v < 0 {
		return -v
	}
	return v
}

// TestNonCoreReasons logs why cases are outside the core subset.
func TestNonCoreReasons(t *testing.T) {
	reasons := map[string]int{}
	for _, c := range suiteCases(t) {
		if !c.Core {
			reason, _, _ := strings.Cut(c.NonCoreReason, ":")
			reasons[reason]++
		}
	}
	keys := make([]string, 0, len(reasons))
	for k := range reasons {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		t.Logf("%4d %s", reasons[k], k)
	}
	if reasons["rule 1"] != 1 {
		t.Errorf("disabled cases = %d, want 1", reasons["rule 1"])
	}
}

// TestFeatureNames checks that FeatureOrder and FeatureNames agree.
func TestFeatureNames(t *testing.T) {
	if len(FeatureOrder) != len(FeatureNames) {
		t.Errorf("%d ids in FeatureOrder, %d in FeatureNames", len(FeatureOrder), len(FeatureNames))
	}
	seen := map[string]bool{}
	for _, id := range FeatureOrder {
		if FeatureNames[id] == "" || seen[id] {
			t.Errorf("feature %q missing a name or listed twice", id)
		}
		seen[id] = true
		if _, ok := readmeFeatureCounts[id]; !ok {
			t.Errorf("feature %q has no README count", id)
		}
	}
}
