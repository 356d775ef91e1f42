package qtt

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
)

// RTest is one object of an RQTT file's "tests" array (README 2.1): statements sent to a
// ksqlDB server's REST API and the responses expected back.
type RTest struct {
	// Name is the test name.
	Name string `json:"name"`
	// Statements are the admin statements followed by the queries (statements starting
	// with "SELECT "); they may contain "{FORMAT}".
	Statements []string `json:"statements"`
	// Format lists the formats substituted for "{FORMAT}", one case each.
	Format []string `json:"format"`
	// Properties are request-level property overrides, every value as a string.
	Properties Properties `json:"properties"`
	// Inputs are produced after the admin statements; Outputs are checked on topics.
	Inputs  []Record `json:"inputs"`
	Outputs []Record `json:"outputs"`
	// Topics carries optional facts about topics.
	Topics []Topic `json:"topics"`
	// Responses are the expected responses, one object per admin statement or query,
	// each with one key: "admin", "query" or "queryProto".
	Responses []json.RawMessage `json:"responses"`
	// ExpectedError, when set, is the error the last statement must fail with.
	ExpectedError *ExpectedError `json:"expectedError"`
	// InputConditions and OutputConditions tune the execution and matching.
	InputConditions  InputConditions  `json:"inputConditions"`
	OutputConditions OutputConditions `json:"outputConditions"`
	// TestPullWithProtoFormat also runs each query with protobuf rows (non-core).
	TestPullWithProtoFormat bool `json:"testPullWithProtoFormat"`
	// Enabled is false for tests that must be skipped; it defaults to true.
	Enabled bool `json:"enabled"`
}

// ExpectedError is an RQTT test's "expectedError" (README 2.1).
type ExpectedError struct {
	// Type is the REST error entity class, e.g.
	// "io.confluent.ksql.rest.entity.KsqlStatementErrorMessage".
	Type string `json:"type"`
	// Message must be a substring of the error message.
	Message string `json:"message"`
	// Status is the HTTP status (0 when absent).
	Status int `json:"status"`
}

// InputConditions is an RQTT test's "inputConditions".
type InputConditions struct {
	// WaitForActivePushQuery produces the inputs only once the push query runs.
	WaitForActivePushQuery bool `json:"waitForActivePushQuery"`
}

// OutputConditions is an RQTT test's "outputConditions".
type OutputConditions struct {
	// VerifyOrder makes rows of a query response positional.
	VerifyOrder bool `json:"verifyOrder"`
}

// UnmarshalJSON decodes a test object, defaulting Enabled to true (an absent or null
// "enabled" leaves the preset value).
func (t *RTest) UnmarshalJSON(b []byte) error {
	type plain RTest
	t.Enabled = true
	return decodeExact(b, (*plain)(t))
}

func (t *RTest) validate() error {
	switch {
	case t.Name == "":
		return errors.New("empty name")
	case len(t.Statements) == 0:
		return errors.New("no statements")
	case t.ExpectedError != nil && len(t.Inputs) > 0:
		return errors.New("both inputs and expectedError")
	}
	first := slices.IndexFunc(t.Statements, IsQueryStatement)
	if first >= 0 {
		for _, s := range t.Statements[first:] {
			if !IsQueryStatement(s) {
				return fmt.Errorf("statement %q follows a query", s)
			}
		}
	}
	return nil
}

// IsQueryStatement reports whether a statement is a query (README 2.1: it starts with
// the exact text "SELECT ").
func IsQueryStatement(s string) bool { return strings.HasPrefix(s, "SELECT ") }

// RFile is one RQTT test file.
type RFile struct {
	// Name is the file's base name without ".json".
	Name string
	// Path is the path the file was read from.
	Path string
	// Tests are the file's test objects, in file order.
	Tests []RTest
}

// LoadRFile reads one RQTT file, with LoadFile's lexical rules.
func LoadRFile(path string) (*RFile, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("load rqtt file: %w", err)
	}
	var raw struct {
		Tests []RTest `json:"tests"`
	}
	if err := decodeExact(StripComments(b), &raw); err != nil {
		return nil, fmt.Errorf("load rqtt file %s: %w", path, err)
	}
	if len(raw.Tests) == 0 {
		return nil, fmt.Errorf(`load rqtt file %s: no "tests"`, path)
	}
	for i := range raw.Tests {
		if err := raw.Tests[i].validate(); err != nil {
			return nil, fmt.Errorf("load rqtt file %s: test %d %q: %w", path, i, raw.Tests[i].Name, err)
		}
	}
	return &RFile{Name: strings.TrimSuffix(filepath.Base(path), ".json"), Path: path, Tests: raw.Tests}, nil
}

// LoadRDir loads every *.json file of dir (not recursing), sorted by name.
func LoadRDir(dir string) ([]*RFile, error) {
	paths, err := filepath.Glob(filepath.Join(dir, "*.json"))
	if err != nil {
		return nil, fmt.Errorf("load rqtt dir %s: %w", dir, err)
	}
	if len(paths) == 0 {
		return nil, fmt.Errorf("load rqtt dir %s: no *.json files", dir)
	}
	var files []*RFile
	for _, p := range paths {
		f, err := LoadRFile(p)
		if err != nil {
			return nil, err
		}
		files = append(files, f)
	}
	sort.Slice(files, func(i, j int) bool { return files[i].Name < files[j].Name })
	return files, nil
}

// IsRQTTFile reports whether the JSON test file at path holds RQTT tests (a test with
// "responses" or "expectedError"), as opposed to QTT ones.
func IsRQTTFile(path string) (bool, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return false, err
	}
	var raw struct {
		Tests []map[string]json.RawMessage `json:"tests"`
	}
	if err := decodeExact(StripComments(b), &raw); err != nil {
		return false, fmt.Errorf("%s: %w", path, err)
	}
	for _, t := range raw.Tests {
		_, resp := t["responses"]
		_, expErr := t["expectedError"]
		if resp || expErr {
			return true, nil
		}
	}
	return false, nil
}

// RCase is one runnable RQTT test case after {FORMAT} expansion.
type RCase struct {
	// Name is "<file> - <test>[ - <format>]".
	Name   string
	File   string
	Test   string
	Format string
	// Statements are the test's statements with {FORMAT} replaced; the first NumAdmin
	// are admin statements, the rest queries.
	Statements []string
	NumAdmin   int
	// Properties, Inputs, Outputs, Topics, Responses, ExpectedError and the conditions
	// are the test's (shared, read-only).
	Properties    Properties
	Inputs        []Record
	Outputs       []Record
	Topics        []Topic
	Responses     []json.RawMessage
	ExpectedError *ExpectedError
	WaitForPush   bool
	VerifyOrder   bool
	// Core reports whether the case is in the core subset (README 3); NonCoreReason says
	// which rule excluded it.
	Core          bool
	NonCoreReason string
}

// ExpandR turns every test of f into its test cases (one per format).
func ExpandR(f *RFile) []RCase {
	var out []RCase
	for i := range f.Tests {
		t := &f.Tests[i]
		formats := t.Format
		if len(formats) == 0 {
			formats = []string{""}
		}
		for _, format := range formats {
			c := RCase{Name: f.Name + " - " + t.Name, File: f.Name, Test: t.Name, Format: format,
				Statements: slices.Clone(t.Statements), Properties: t.Properties.clone(),
				Inputs: t.Inputs, Outputs: t.Outputs, Topics: t.Topics, Responses: t.Responses,
				ExpectedError: t.ExpectedError, WaitForPush: t.InputConditions.WaitForActivePushQuery,
				VerifyOrder: t.OutputConditions.VerifyOrder}
			if format != "" {
				c.Name += " - " + format
				for j, s := range c.Statements {
					c.Statements[j] = strings.ReplaceAll(s, "{FORMAT}", format)
				}
			}
			c.NumAdmin = len(c.Statements)
			if k := slices.IndexFunc(c.Statements, IsQueryStatement); k >= 0 {
				c.NumAdmin = k
			}
			qc := Case{Enabled: t.Enabled, Format: format, Statements: c.Statements, Properties: c.Properties, Topics: t.Topics}
			c.Core, c.NonCoreReason = classifyCore(&qc)
			if c.Core && t.TestPullWithProtoFormat {
				c.Core, c.NonCoreReason = false, "rule 8: testPullWithProtoFormat"
			}
			out = append(out, c)
		}
	}
	return out
}
