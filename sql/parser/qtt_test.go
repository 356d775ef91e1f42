package parser

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

const (
	qttDir  = "../../../shared/conformance/qtt"
	rqttDir = "../../../shared/conformance/rqtt"
)

// maxQTTFailures is the number of QTT statements that fail to parse today, all of them in
// tests that expect an error (ASSERT VALUES, RUN SCRIPT, type parameters such as
// STRING (KEY), IN ( ), BIGINT and DOUBLE overflow, a table function in FROM, a predicate or
// a grouping set among other items in GROUP BY). It only changes when a
// rejection moves to a later stage. maxQTTUnexpectedFailures counts failures in tests that
// expect no error: it may only go down.
const (
	maxQTTFailures           = 18
	maxQTTUnexpectedFailures = 0
)

// stripLineComments removes // comments outside JSON strings (conformance README 1.1).
func stripLineComments(b []byte) []byte {
	out := make([]byte, 0, len(b))
	inStr := false
	for i := 0; i < len(b); i++ {
		c := b[i]
		if inStr {
			out = append(out, c)
			if c == '\\' && i+1 < len(b) {
				i++
				out = append(out, b[i])
			} else if c == '"' {
				inStr = false
			}
			continue
		}
		if c == '"' {
			inStr = true
		} else if c == '/' && i+1 < len(b) && b[i+1] == '/' {
			for i < len(b) && b[i] != '\n' {
				i++
			}
			if i < len(b) {
				out = append(out, '\n')
			}
			continue
		}
		out = append(out, c)
	}
	return out
}

type qttStatement struct {
	file, test string
	text       string
	expectErr  bool   // the test expects an exception (of any kind)
	errType    string // expected exception type
	errMsg     string // expected exception message
}

func qttStatements(t testing.TB, dir string) []qttStatement {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(dir, "*.json"))
	if err != nil || len(files) == 0 {
		t.Skipf("no test files in %s: %v", dir, err)
	}
	var out []qttStatement
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var doc struct {
			Tests []struct {
				Name       string   `json:"name"`
				Statements []string `json:"statements"`
				Expected   *struct {
					Type    string `json:"type"`
					Message string `json:"message"`
				} `json:"expectedException"`
			} `json:"tests"`
		}
		if err := json.Unmarshal(stripLineComments(b), &doc); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		for _, tc := range doc.Tests {
			for _, s := range tc.Statements {
				q := qttStatement{
					file: filepath.Base(f), test: tc.Name,
					text: strings.ReplaceAll(s, "{FORMAT}", "JSON"),
				}
				if tc.Expected != nil {
					q.expectErr, q.errType, q.errMsg = true, tc.Expected.Type, tc.Expected.Message
				}
				out = append(out, q)
			}
		}
	}
	return out
}

func TestQTTStatements(t *testing.T) {
	failed, unexpected := walkStatements(t, qttDir)
	if failed > maxQTTFailures {
		t.Errorf("%d QTT statements fail to parse, more than the %d allowed", failed, maxQTTFailures)
	}
	if unexpected > maxQTTUnexpectedFailures {
		t.Errorf("%d QTT statements of tests expecting success fail to parse, more than the %d allowed", unexpected, maxQTTUnexpectedFailures)
	}
}

// maxRQTTFailures is the same bar for the RQTT files (REST query tests), whose expected
// errors this walk does not read: "error on ORDER BY" (rejected, as upstream does) and
// "struct_col->*" (not supported yet).
const maxRQTTFailures = 2

func TestRQTTStatements(t *testing.T) {
	if failed, _ := walkStatements(t, rqttDir); failed > maxRQTTFailures {
		t.Errorf("%d RQTT statements fail to parse, more than the %d allowed", failed, maxRQTTFailures)
	}
}

// walkStatements parses every statement of every test file in dir, logs counts and the
// first 20 failures, and returns the failure count and the count of failures in tests that
// expect no error.
func walkStatements(t *testing.T, dir string) (failed, unexpected int) {
	var full, spans, failedExpected, posChecked, parseErrParsed int
	linePos := regexp.MustCompile(`line (\d+):(\d+)`)
	for _, s := range qttStatements(t, dir) {
		sts, err := Parse(s.text, nil)
		if err == nil && len(sts) != 1 {
			t.Errorf("%s / %s: %d statements in %q", s.file, s.test, len(sts), s.text)
			continue
		}
		switch {
		case err != nil:
			failed++
			if s.expectErr {
				failedExpected++
			}
			// Where upstream expects a ParseFailedException with a position on a
			// single-line statement, ours must be the same.
			var perr *Error
			if m := linePos.FindStringSubmatch(s.errMsg); m != nil && strings.HasSuffix(s.errType, "ParseFailedException") &&
				errors.As(err, &perr) && !strings.Contains(s.text, "\n") && m[1] == "1" {
				posChecked++
				if got := fmt.Sprintf("%d:%d", perr.Pos.Line, perr.Pos.Col); got != m[1]+":"+m[2] {
					t.Errorf("%s / %s: error at %s, upstream at %s:%s: %v", s.file, s.test, got, m[1], m[2], err)
				}
			}
			if failed <= 20 {
				t.Logf("FAIL %s / %s (expects error: %v): %q: %v", s.file, s.test, s.expectErr, s.text, err)
			}
		case strings.HasSuffix(s.errType, "ParseFailedException") && hasSelectSpan(sts[0]):
			// Upstream rejects it, probably inside the SELECT: the SELECT parser's job.
			parseErrParsed++
			spans++
		case hasSelectSpan(sts[0]):
			spans++
		default:
			full++
		}
	}
	t.Logf("%s statements: %d; parsed fully %d, with a SELECT parsed into the AST %d, failed %d (%d of them in tests expecting an error; %d error positions checked against upstream); %d SELECT spans are in tests expecting a ParseFailedException",
		filepath.Base(dir), full+spans+failed, full, spans, failed, failedExpected, posChecked, parseErrParsed)
	return failed, failed - failedExpected
}

func hasSelectSpan(s Statement) bool {
	switch s := s.(type) {
	case *CreateAsSelect, *InsertSelect, *Query:
		return true
	case *Explain:
		return s.Statement != nil && hasSelectSpan(s.Statement)
	}
	return false
}
