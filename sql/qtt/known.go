package qtt

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// knownSep separates a case name from its reason in a known-failures file. Case names
// may contain '#' ("... the fix for #1784"), so the separator is two spaces and '#'.
const knownSep = "  #"

// LoadKnownFailures reads a known-failures file: one case name per line, optionally
// followed by "  # reason" (exactly two spaces before '#'); blank lines and lines
// starting with '#' are ignored. The name is the text before the first "  #", kept
// exactly (a few upstream test names end in a space), or the whole line without
// trailing white space. It returns case name -> reason ("" when none). A missing file
// is an error wrapping fs.ErrNotExist.
func LoadKnownFailures(path string) (map[string]string, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("load known failures: %w", err)
	}
	out := map[string]string{}
	sc := bufio.NewScanner(bytes.NewReader(b))
	sc.Buffer(nil, 1<<20)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimRight(sc.Text(), " \t\r")
		if t := strings.TrimSpace(line); t == "" || strings.HasPrefix(t, "#") {
			continue
		}
		name, reason, found := strings.Cut(line, knownSep)
		if !found {
			name = strings.TrimSpace(line)
		}
		if _, dup := out[name]; dup {
			return nil, fmt.Errorf("load known failures %s:%d: duplicate case %q", path, n, name)
		}
		out[name] = strings.TrimSpace(reason)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("load known failures %s: %w", path, err)
	}
	return out, nil
}

// WriteKnownFailures writes names (case name -> reason, "" for none) to path, one per
// line sorted by name, as "name  # reason" or "name"; a name ending in a space is
// always followed by "  #" so the space survives. Reasons are folded onto one line.
// The leading '#' comment block of an existing file is kept. The file is replaced
// atomically (temporary file and rename). Names that cannot be stored (empty, starting
// with '#' or white space, containing a line break or "  #") are an error.
func WriteKnownFailures(path string, names map[string]string) error {
	var buf bytes.Buffer
	if old, err := os.ReadFile(path); err == nil {
		for _, line := range strings.SplitAfter(string(old), "\n") {
			if !strings.HasPrefix(line, "#") {
				break
			}
			buf.WriteString(line)
		}
	}
	keys := make([]string, 0, len(names))
	for k := range names {
		if k == "" || strings.ContainsAny(k, "\n\r") || strings.Contains(k, knownSep) ||
			strings.TrimLeft(k, " \t") != k || strings.HasPrefix(k, "#") {
			return fmt.Errorf("write known failures: case name %q cannot be stored", k)
		}
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		buf.WriteString(k)
		if r := strings.Join(strings.Fields(names[k]), " "); r != "" {
			buf.WriteString(knownSep + " " + r)
		} else if strings.TrimRight(k, " \t") != k {
			buf.WriteString(knownSep)
		}
		buf.WriteByte('\n')
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), filepath.Base(path)+".tmp*")
	if err != nil {
		return fmt.Errorf("write known failures: %w", err)
	}
	werr := tmp.Chmod(0o644)
	if werr == nil {
		_, werr = tmp.Write(buf.Bytes())
	}
	cerr := tmp.Close()
	if werr == nil {
		werr = cerr
	}
	if werr == nil {
		werr = os.Rename(tmp.Name(), path)
	}
	if werr != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("write known failures %s: %w", path, werr)
	}
	return nil
}

// KnownFailureGate compares the core results of a run with the known failures listed in
// path (a missing file lists none). It returns the core cases failing that the file does
// not list ("name: reason", sorted) and the listed ones that pass now (sorted), and the
// current failures with the first line of their reasons, for WriteKnownFailures when the
// list is to be rewritten.
func KnownFailureGate(results []Result, path string) (newFailures, fixed []string, failures map[string]string, err error) {
	known, err := LoadKnownFailures(path)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, nil, nil, err
	}
	failures = map[string]string{}
	for _, r := range results {
		if r.Skipped || !r.Core {
			continue
		}
		_, listed := known[r.Case]
		switch {
		case !r.Passed:
			reason, _, _ := strings.Cut(r.Reason, "\n")
			failures[r.Case] = reason
			if !listed {
				newFailures = append(newFailures, r.Case+": "+r.Reason)
			}
		case listed:
			fixed = append(fixed, r.Case)
		}
	}
	sort.Strings(newFailures)
	sort.Strings(fixed)
	return newFailures, fixed, failures, nil
}

// TB is the part of testing.TB that CheckKnownFailures uses.
type TB interface {
	Helper()
	Fatal(args ...any)
	Errorf(format string, args ...any)
	Logf(format string, args ...any)
}

// CheckKnownFailures is the known-failures gate of a conformance test: with update it
// rewrites path with the current core failures; with filtered (a run of some cases only)
// it logs the failures; otherwise a core case failing that path does not list fails the
// test, and so does a listed one that passes now (updateCmd is the command that rewrites
// the file).
func CheckKnownFailures(t TB, results []Result, path string, update, filtered bool, updateCmd string) {
	t.Helper()
	newFail, fixed, failures, err := KnownFailureGate(results, path)
	if err != nil {
		t.Fatal(err)
	}
	switch {
	case update:
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := WriteKnownFailures(path, failures); err != nil {
			t.Fatal(err)
		}
	case filtered:
		for _, r := range results {
			if !r.Passed && !r.Skipped {
				t.Logf("FAIL %s: %s", r.Case, r.Reason)
			}
		}
	default:
		for _, f := range newFail {
			t.Errorf("new failure: %s", f)
		}
		if len(fixed) > 0 {
			t.Errorf("these known failures pass now; remove them from %s (%s):\n%s", path, updateCmd, strings.Join(fixed, "\n"))
		}
	}
}
