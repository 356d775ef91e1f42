package qtt

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestSummarize(t *testing.T) {
	results := []Result{
		{Case: "b - x", File: "b", Core: true, Passed: true, Features: []string{"where", "fmt-json"}},
		{Case: "b - y", File: "b", Core: true, Passed: false, Reason: "value: ...", Features: []string{"where"}},
		{Case: "a - z", File: "a", Core: false, Skipped: true, Reason: "rule 2", Features: []string{"where"}},
		{Case: "a - w", File: "a", Core: true, Skipped: true, Features: []string{"fmt-json"}},
		{Case: "a - v", File: "a", Core: true, Passed: true, Features: []string{"custom"}},
	}
	s := Summarize(results)
	b, err := json.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	var got map[string]any
	if err := json.Unmarshal(b, &got); err != nil {
		t.Fatal(err)
	}
	if c := got["core"].(map[string]any); c["passed"] != 2.0 || c["failed"] != 1.0 {
		t.Errorf("core = %v", c)
	}
	if got["skipped"] != 2.0 {
		t.Errorf("skipped = %v", got["skipped"])
	}
	files := got["files"].([]any)
	if len(files) != 2 || files[0].(map[string]any)["file"] != "a" {
		t.Fatalf("files = %v", files)
	}
	if a := files[0].(map[string]any); a["passed"] != 1.0 || a["failed"] != 0.0 || a["skipped"] != 2.0 {
		t.Errorf("file a = %v", a)
	}
	feats := map[string]FeatureSummary{}
	for _, f := range s.Features {
		feats[f.Feature] = f
	}
	if f := feats["where"]; f.Passed != 1 || f.Total != 2 {
		t.Errorf("where = %+v", f)
	}
	if f := feats["fmt-json"]; f.Passed != 1 || f.Total != 1 {
		t.Errorf("fmt-json = %+v", f)
	}
	if len(s.Features) != len(FeatureOrder)+1 || s.Features[len(s.Features)-1].Feature != "custom" {
		t.Errorf("features: %d entries, last %v", len(s.Features), s.Features[len(s.Features)-1])
	}
	if _, ok := got["features"]; !ok {
		t.Error("no features field in JSON")
	}

	table := s.FeatureTable()
	for _, want := range []string{
		"| Feature class | passed | core cases | pass % |\n|---|---:|---:|---:|\n",
		"| WHERE clause (any query) | 1 | 2 | 50.0% |",
		"| &nbsp;&nbsp;string functions (incl. URL_*) | 0 | 0 | - |",
		"| **All core test cases** | 2 | 3 | 66.7% |",
	} {
		if !strings.Contains(table, want) {
			t.Errorf("table lacks %q:\n%s", want, table)
		}
	}
	first := strings.Split(table, "\n")[2]
	if !strings.HasPrefix(first, "| "+FeatureNames["stateless"]) {
		t.Errorf("first row %q is not README 4.1's first row", first)
	}
}
