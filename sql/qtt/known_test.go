package qtt

import (
	"maps"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestKnownFailuresRoundTrip(t *testing.T) {
	path := filepath.Join(t.TempDir(), "known_failures.txt")
	header := "# QTT cases expected to fail.\n# Regenerate with -update.\n"
	if err := os.WriteFile(path, []byte(header+"old - case\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	names := map[string]string{
		"select - all columns - star - ksql.new.query.planner.enabled=true":          "",
		"project-filter - WHERE with many comparisons. This tests the fix for #1784": "#1784 is part of the name",
		"joins - table table left join - JSON":                                       "  windowed   join  ",
		"a - first":                                                                  "reason",
		"b - trailing space ":                                                        "",
	}
	if err := WriteKnownFailures(path, names); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	want := header +
		"a - first  # reason\n" +
		"b - trailing space   #\n" +
		"joins - table table left join - JSON  # windowed join\n" +
		"project-filter - WHERE with many comparisons. This tests the fix for #1784  # #1784 is part of the name\n" +
		"select - all columns - star - ksql.new.query.planner.enabled=true\n"
	if string(b) != want {
		t.Errorf("file:\n%s\nwant:\n%s", b, want)
	}
	got, err := LoadKnownFailures(path)
	if err != nil {
		t.Fatal(err)
	}
	names["joins - table table left join - JSON"] = "windowed join"
	if !maps.Equal(got, names) {
		t.Errorf("round trip:\n got %v\nwant %v", got, names)
	}
}

func TestKnownFailuresErrors(t *testing.T) {
	dir := t.TempDir()
	if _, err := LoadKnownFailures(filepath.Join(dir, "missing")); !os.IsNotExist(unwrapAll(err)) {
		t.Errorf("missing file: %v", err)
	}
	dup := filepath.Join(dir, "dup")
	os.WriteFile(dup, []byte("a\n\n  # indented comment\na  # again\n"), 0o644)
	if _, err := LoadKnownFailures(dup); err == nil || !strings.Contains(err.Error(), "duplicate") {
		t.Errorf("duplicate: %v", err)
	}
	for _, bad := range []string{"", "#x", "a\nb", " a", "a  # b", "\ta"} {
		if err := WriteKnownFailures(filepath.Join(dir, "w"), map[string]string{bad: ""}); err == nil {
			t.Errorf("WriteKnownFailures accepted name %q", bad)
		}
	}
}

func unwrapAll(err error) error {
	for {
		u, ok := err.(interface{ Unwrap() error })
		if !ok {
			return err
		}
		err = u.Unwrap()
	}
}

// TestKnownFailuresSuiteNames checks that every suite case name can be stored.
func TestKnownFailuresSuiteNames(t *testing.T) {
	names := map[string]string{}
	for _, c := range suiteCases(t) {
		names[c.Name] = ""
	}
	path := filepath.Join(t.TempDir(), "all")
	if err := WriteKnownFailures(path, names); err != nil {
		t.Fatal(err)
	}
	got, err := LoadKnownFailures(path)
	if err != nil {
		t.Fatal(err)
	}
	if !maps.Equal(got, names) {
		t.Errorf("round trip of %d suite names lost some: got %d", len(names), len(got))
	}
}
