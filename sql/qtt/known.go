package qtt

import (
	"bufio"
	"bytes"
	"fmt"
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
