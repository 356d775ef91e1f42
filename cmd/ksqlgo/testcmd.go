package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"

	"github.com/spf13/cobra"

	"github.com/ksqlgo/ksqlgo/sql/conformance"
	"github.com/ksqlgo/ksqlgo/sql/parser"
	"github.com/ksqlgo/ksqlgo/sql/qtt"
)

// testCmd is `ksqlgo test`: ksqlDB's functional tests (QTT and RQTT files or directories) or a
// ksql-test-runner style test (--sql-file, --input-file, --output-file), on the test driver.
func (a *app) testCmd() *cobra.Command {
	var asJSON, verbose, features bool
	var sqlFile, inputFile, outputFile, runRE string
	cmd := &cobra.Command{
		Use:   "test [QTT or RQTT file or directory...]",
		Short: "run ksqlDB functional tests (QTT and RQTT files, or --sql-file/--input-file/--output-file)",
		RunE: func(cmd *cobra.Command, args []string) error {
			var files []*qtt.File
			if sqlFile != "" {
				f, err := runnerStyleFile(sqlFile, inputFile, outputFile)
				if err != nil {
					return err
				}
				files = append(files, f)
			}
			var rfiles []*qtt.RFile
			for _, p := range args {
				paths, err := testPaths(p)
				if err != nil {
					return err
				}
				for _, path := range paths {
					isR, err := qtt.IsRQTTFile(path)
					if err != nil {
						return err
					}
					if isR {
						f, err := qtt.LoadRFile(path)
						if err != nil {
							return err
						}
						rfiles = append(rfiles, f)
						continue
					}
					f, err := qtt.LoadFile(path)
					if err != nil {
						return err
					}
					files = append(files, f)
				}
			}
			if len(files) == 0 && len(rfiles) == 0 {
				return fmt.Errorf("nothing to test: give QTT/RQTT files or directories, or --sql-file")
			}
			var filter func(string) bool
			if runRE != "" {
				re, err := regexp.Compile(runRE)
				if err != nil {
					return err
				}
				filter = re.MatchString
			}
			results := append(conformance.RunFiles(files, filter), conformance.RunRFiles(rfiles, filter)...)
			sum := qtt.Summarize(results)
			if asJSON {
				enc := json.NewEncoder(a.stdout)
				return enc.Encode(sum)
			}
			if features {
				fmt.Fprint(a.stdout, sum.FeatureTable())
				return nil
			}
			for _, r := range results {
				switch {
				case r.Skipped:
					if verbose {
						fmt.Fprintf(a.stdout, "SKIP %s (%s)\n", r.Case, r.Reason)
					}
				case r.Passed:
					if verbose {
						fmt.Fprintf(a.stdout, "PASS %s\n", r.Case)
					}
				default:
					fmt.Fprintf(a.stdout, "FAIL %s\n     %s\n", r.Case, strings.ReplaceAll(r.Reason, "\n", "\n     "))
				}
			}
			for _, f := range sum.Files {
				fmt.Fprintf(a.stdout, "%-40s passed %4d  failed %4d  skipped %4d\n", f.File, f.Passed, f.Failed, f.Skipped)
			}
			fmt.Fprintf(a.stdout, "core: %d passed, %d failed; %d skipped\n", sum.Core.Passed, sum.Core.Failed, sum.Skipped)
			if sum.Core.Failed > 0 {
				return fmt.Errorf("%d test case(s) failed", sum.Core.Failed)
			}
			return nil
		},
	}
	fs := cmd.Flags()
	fs.BoolVar(&asJSON, "json", false, `print one JSON summary {"core":{"passed":P,"failed":F},"skipped":S,"files":[...]}`)
	fs.BoolVarP(&verbose, "verbose", "v", false, "list passing and skipped cases too")
	fs.BoolVar(&features, "features", false, "print the pass counts per feature class as a Markdown table (README's)")
	fs.StringVar(&sqlFile, "sql-file", "", "ksql-test-runner style: the statements")
	fs.StringVar(&inputFile, "input-file", "", `ksql-test-runner style: {"inputs": [records]}`)
	fs.StringVar(&outputFile, "output-file", "", `ksql-test-runner style: {"outputs": [records]}`)
	fs.StringVar(&runRE, "run", "", "only cases whose name matches this regular expression")
	return cmd
}

// runnerStyleFile builds a one-test QTT file from ksql-test-runner inputs.
func runnerStyleFile(sqlFile, inputFile, outputFile string) (*qtt.File, error) {
	script, err := os.ReadFile(sqlFile)
	if err != nil {
		return nil, err
	}
	raws, err := parser.Split(string(script))
	if err != nil {
		return nil, err
	}
	var stmts []string
	for _, r := range raws {
		stmts = append(stmts, r.Text+";")
	}
	test := map[string]any{"name": filepath.Base(sqlFile), "statements": stmts}
	for _, f := range []struct{ path, key string }{{inputFile, "inputs"}, {outputFile, "outputs"}} {
		if f.path == "" {
			continue
		}
		b, err := os.ReadFile(f.path)
		if err != nil {
			return nil, err
		}
		var doc map[string]json.RawMessage
		if err := json.Unmarshal(qtt.StripComments(b), &doc); err != nil {
			return nil, fmt.Errorf("%s: %v", f.path, err)
		}
		test[f.key] = doc[f.key]
	}
	b, err := json.Marshal(map[string]any{"tests": []any{test}})
	if err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp("", "ksqlgo-test-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	p := filepath.Join(dir, strings.TrimSuffix(filepath.Base(sqlFile), filepath.Ext(sqlFile))+".json")
	if err := os.WriteFile(p, b, 0o644); err != nil {
		return nil, err
	}
	return qtt.LoadFile(p)
}

// testPaths returns path itself, or the *.json files of a directory sorted by name.
func testPaths(path string) ([]string, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if !st.IsDir() {
		return []string{path}, nil
	}
	paths, err := filepath.Glob(filepath.Join(path, "*.json"))
	if err != nil {
		return nil, err
	}
	if len(paths) == 0 {
		return nil, fmt.Errorf("%s: no *.json files", path)
	}
	sort.Strings(paths)
	return paths, nil
}
