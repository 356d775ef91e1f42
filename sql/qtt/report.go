package qtt

import (
	"fmt"
	"sort"
	"strings"
)

// Result is the outcome of one test case, as a runner reports it.
type Result struct {
	// Case is the case name; File the file name without ".json".
	Case string `json:"case"`
	File string `json:"file"`
	// Core reports whether the case is in the core subset.
	Core bool `json:"core"`
	// Passed reports whether the case ran and passed.
	Passed bool `json:"passed"`
	// Skipped reports whether the case was not run (non-core, disabled, not applicable
	// to this harness).
	Skipped bool `json:"skipped,omitempty"`
	// Reason explains a failure or a skip.
	Reason string `json:"reason,omitempty"`
	// Features are the case's feature-class ids.
	Features []string `json:"features,omitempty"`
	// PostChecked reports whether a passing case had post.sources conditions, and
	// PostFailure why they did not hold (a separate, optional score: README 1.11).
	PostChecked bool   `json:"post_checked,omitempty"`
	PostFailure string `json:"post_failure,omitempty"`
}

// Summary aggregates Results. Its JSON form is
//
//	{"core":{"passed":P,"failed":F},"skipped":S,
//	 "files":[{"file":..,"passed":..,"failed":..,"skipped":..}],
//	 "features":[{"feature":..,"passed":..,"total":..}]}
type Summary struct {
	// Core counts the core cases that ran: passed and failed.
	Core PassFail `json:"core"`
	// Skipped counts the cases not run or not core.
	Skipped int `json:"skipped"`
	// Files has one entry per file, sorted by file name.
	Files []FileSummary `json:"files"`
	// Features has one entry per feature class, in FeatureOrder, plus any unknown ids
	// sorted after them; classes no core case touches are included with zero counts.
	Features []FeatureSummary `json:"features"`
}

// PassFail counts passed and failed cases.
type PassFail struct {
	Passed int `json:"passed"`
	Failed int `json:"failed"`
}

// FileSummary counts one file's cases.
type FileSummary struct {
	File    string `json:"file"`
	Passed  int    `json:"passed"`
	Failed  int    `json:"failed"`
	Skipped int    `json:"skipped"`
}

// FeatureSummary counts the core cases that ran and are tagged with one feature class:
// Total of them, Passed those that passed. When every core case runs, Total is the
// "core cases" column of README 4.1.
type FeatureSummary struct {
	Feature string `json:"feature"`
	Passed  int    `json:"passed"`
	Total   int    `json:"total"`
}

// Summarize counts results. A result counts as skipped when it is Skipped or not Core;
// otherwise it is a passed or failed core case and counts for its feature classes.
func Summarize(results []Result) Summary {
	var s Summary
	files := map[string]*FileSummary{}
	feats := map[string]*FeatureSummary{}
	for _, id := range FeatureOrder {
		feats[id] = &FeatureSummary{Feature: id}
	}
	for _, r := range results {
		f := files[r.File]
		if f == nil {
			f = &FileSummary{File: r.File}
			files[r.File] = f
		}
		ran := r.Core && !r.Skipped
		switch {
		case !ran:
			s.Skipped++
			f.Skipped++
		case r.Passed:
			s.Core.Passed++
			f.Passed++
		default:
			s.Core.Failed++
			f.Failed++
		}
		if !ran {
			continue
		}
		for _, id := range r.Features {
			fs := feats[id]
			if fs == nil {
				fs = &FeatureSummary{Feature: id}
				feats[id] = fs
			}
			fs.Total++
			if r.Passed {
				fs.Passed++
			}
		}
	}
	s.Files = make([]FileSummary, 0, len(files))
	for _, f := range files {
		s.Files = append(s.Files, *f)
	}
	sort.Slice(s.Files, func(i, j int) bool { return s.Files[i].File < s.Files[j].File })
	for _, id := range FeatureOrder {
		s.Features = append(s.Features, *feats[id])
		delete(feats, id)
	}
	var extra []string
	for id := range feats {
		extra = append(extra, id)
	}
	sort.Strings(extra)
	for _, id := range extra {
		s.Features = append(s.Features, *feats[id])
	}
	return s
}

// subFeatures are indented under the row before them, as in README 4.1.
var subFeatures = map[string]bool{
	"stateless-plain": true, "string-fn": true, "math-fn": true, "datetime-fn": true,
	"arraymap-fn": true, "json-fn": true, "lambda-fn": true,
}

// FeatureTable renders the feature counts as a Markdown table in README 4.1 order:
// "| Feature class | passed | core cases | pass % |", sub-classes indented, and a final
// row over all core cases that ran.
func (s Summary) FeatureTable() string {
	var b strings.Builder
	b.WriteString("| Feature class | passed | core cases | pass % |\n")
	b.WriteString("|---|---:|---:|---:|\n")
	for _, f := range s.Features {
		title := FeatureNames[f.Feature]
		if title == "" {
			title = f.Feature
		}
		if subFeatures[f.Feature] {
			title = "&nbsp;&nbsp;" + title
		}
		fmt.Fprintf(&b, "| %s | %d | %d | %s |\n", title, f.Passed, f.Total, percent(f.Passed, f.Total))
	}
	total := s.Core.Passed + s.Core.Failed
	fmt.Fprintf(&b, "| **All core test cases** | %d | %d | %s |\n", s.Core.Passed, total, percent(s.Core.Passed, total))
	return b.String()
}

func percent(n, d int) string {
	if d == 0 {
		return "-"
	}
	return fmt.Sprintf("%.1f%%", 100*float64(n)/float64(d))
}
