package qtt

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// File is one QTT test file (README 1.2).
type File struct {
	// Name is the file's base name without ".json"; it prefixes every case name.
	Name string
	// Path is the path the file was read from.
	Path string
	// Tests are the file's test objects, in file order.
	Tests []Test
}

// LoadFile reads one QTT file: it strips // comments outside string literals, decodes
// the JSON keeping every number literal exact, ignores unknown keys and checks each test
// (name and statements non-empty; at least one of inputs, outputs and
// expectedException). Test names may repeat within a file when the tests expand to
// different formats; case names are unique.
func LoadFile(path string) (*File, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("load qtt file: %w", err)
	}
	f, err := parseFile(b)
	if err != nil {
		return nil, fmt.Errorf("load qtt file %s: %w", path, err)
	}
	f.Path = path
	f.Name = strings.TrimSuffix(filepath.Base(path), ".json")
	return f, nil
}

// LoadDir loads every *.json file of dir (not recursing), sorted by File.Name.
func LoadDir(dir string) ([]*File, error) {
	paths, err := filepath.Glob(filepath.Join(dir, "*.json"))
	if err != nil {
		return nil, fmt.Errorf("load qtt dir %s: %w", dir, err)
	}
	if len(paths) == 0 {
		return nil, fmt.Errorf("load qtt dir %s: no *.json files", dir)
	}
	files := make([]*File, 0, len(paths))
	for _, p := range paths {
		f, err := LoadFile(p)
		if err != nil {
			return nil, err
		}
		files = append(files, f)
	}
	sort.Slice(files, func(i, j int) bool { return files[i].Name < files[j].Name })
	return files, nil
}

func parseFile(b []byte) (*File, error) {
	var raw struct {
		Tests []Test `json:"tests"`
	}
	if err := decodeExact(StripComments(b), &raw); err != nil {
		return nil, err
	}
	if len(raw.Tests) == 0 {
		return nil, errors.New(`no "tests"`)
	}
	for i, t := range raw.Tests {
		if err := t.validate(); err != nil {
			return nil, fmt.Errorf("test %d %q: %w", i, t.Name, err)
		}
	}
	return &File{Tests: raw.Tests}, nil
}

// decodeExact decodes one JSON document with UseNumber, rejecting trailing data.
func decodeExact(b []byte, v any) error {
	d := json.NewDecoder(bytes.NewReader(b))
	d.UseNumber()
	if err := d.Decode(v); err != nil {
		return err
	}
	if _, err := d.Token(); err == nil {
		return errors.New("trailing data after JSON document")
	}
	return nil
}

// StripComments removes the comments of upstream's lenient JSON: "//" to the end of the
// line and "/* ... */", both only outside string literals. Line breaks are kept so JSON
// syntax errors keep their line numbers.
func StripComments(b []byte) []byte {
	out := make([]byte, 0, len(b))
	inStr := false
	for i := 0; i < len(b); i++ {
		c := b[i]
		if inStr {
			out = append(out, c)
			switch c {
			case '\\':
				if i+1 < len(b) {
					i++
					out = append(out, b[i])
				}
			case '"':
				inStr = false
			}
			continue
		}
		if c == '/' && i+1 < len(b) {
			switch b[i+1] {
			case '/':
				for i < len(b) && b[i] != '\n' {
					i++
				}
				if i < len(b) {
					out = append(out, '\n')
				}
				continue
			case '*':
				end := bytes.Index(b[i+2:], []byte("*/"))
				if end < 0 {
					end = len(b) - i - 2
				}
				for _, cc := range b[i+2 : i+2+end] {
					if cc == '\n' {
						out = append(out, '\n')
					}
				}
				i += 2 + end + 1
				out = append(out, ' ')
				continue
			}
		}
		if c == '"' {
			inStr = true
		}
		out = append(out, c)
	}
	return out
}
