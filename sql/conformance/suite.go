package conformance

import (
	"github.com/ksqlgo/ksqlgo/sql/qtt"
)

// RunFiles runs every case of the given QTT files; filter, when set, selects cases by
// name.
func RunFiles(files []*qtt.File, filter func(name string) bool) []Result {
	var out []Result
	for _, f := range files {
		for _, c := range qtt.Expand(f) {
			if filter != nil && !filter(c.Name) {
				continue
			}
			out = append(out, RunCase(c))
		}
	}
	return out
}
