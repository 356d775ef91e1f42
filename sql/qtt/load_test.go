package qtt

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestStripComments(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"none", `{"a": 1}`, `{"a": 1}`},
		{"line comment", "{\"a\": 1 // one\n}", "{\"a\": 1 \n}"},
		{"comment at end without newline", `{"a": 1} // end`, `{"a": 1} `},
		{"slashes in string", `{"u": "http://x//y"}`, `{"u": "http://x//y"}`},
		{"escaped quote in string", `{"s": "a\"//b"} // c`, `{"s": "a\"//b"} `},
		{"escaped backslash before quote", `{"s": "a\\"} // c`, `{"s": "a\\"} `},
		{"block comment keeps lines", "{/* a\nb */\"a\": 1}", "{\n \"a\": 1}"},
		{"single slash", `{"a": 1 / 2}`, `{"a": 1 / 2}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := string(StripComments([]byte(tt.in))); got != tt.want {
				t.Errorf("StripComments(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func loadSample(t *testing.T) *File {
	t.Helper()
	f, err := LoadFile("testdata/sample.json")
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func TestLoadFile(t *testing.T) {
	f := loadSample(t)
	if f.Name != "sample" || len(f.Tests) != 3 {
		t.Fatalf("got name %q with %d tests", f.Name, len(f.Tests))
	}
	t0 := f.Tests[0]
	wantProps := Properties{
		"ksql.new.query.planner.enabled":                                  "{config}",
		"ksql.functions.collect_list.limit":                               "10",
		"ksql.streams.__emit.interval.ms.kstreams.windowed.aggregation__": "0.50",
		"use.exact.numeric.comparison":                                    "false",
	}
	for k, v := range wantProps {
		if t0.Properties[k] != v {
			t.Errorf("property %s = %q, want %q", k, t0.Properties[k], v)
		}
	}
	if !t0.Enabled || f.Tests[2].Enabled {
		t.Errorf("enabled = %v, %v; want true, false", t0.Enabled, f.Tests[2].Enabled)
	}
	out := t0.Outputs[0]
	if got := string(out.Value); got != `{"V":1.50,"BIG":123456789012345678901234567890,"E":1.0E20}` {
		t.Errorf("value kept as %s", got)
	}
	in0, in1 := t0.Inputs[0], t0.Inputs[1]
	if string(in0.Key) != "1" || !in0.KeyPresent || in0.Timestamp == nil || *in0.Timestamp != 10 {
		t.Errorf("input 0 = %+v", in0)
	}
	if string(in1.Key) != "null" || !in1.KeyPresent || in1.Timestamp != nil || !in1.IsTombstone() {
		t.Errorf("input 1 (null key, typo'd timestamp, tombstone) = %+v", in1)
	}
	if o := t0.Outputs[1]; o.Key != nil || o.KeyPresent || string(o.Value) != "null" {
		t.Errorf("output 1 (no key) = %+v", o)
	}
	r := f.Tests[1].Inputs[0]
	if r.Window == nil || *r.Window != (Window{Start: 5, End: 9, Type: "session"}) {
		t.Errorf("window = %v", r.Window)
	}
	wantHeaders := []Header{{"h1", []byte{1, 2}}, {"h2", nil}, {"h3", []byte{}}}
	if !r.HeadersPresent || !headersEqual(r.Headers, wantHeaders) {
		t.Errorf("headers = %v, want %v", r.Headers, wantHeaders)
	}
	if e := f.Tests[1].ExpectedException; e == nil || e.Message != "no query" {
		t.Errorf("expectedException = %+v", e)
	}
}

func TestLoadFileErrors(t *testing.T) {
	tests := []struct{ name, body, want string }{
		{"no tests", `{"tests": []}`, "no \"tests\""},
		{"no statements", `{"tests": [{"name": "a", "outputs": []}]}`, "no statements"},
		{"nothing to check", `{"tests": [{"name": "a", "statements": ["x"]}]}`, "none of inputs"},
		{"config without {CONFIG}", `{"tests": [{"name": "a", "statements": ["x"], "outputs": [], "config": ["1"]}]}`, "{CONFIG}"},
		{"record without topic", `{"tests": [{"name": "a", "statements": ["x"], "inputs": [{"value": 1}]}]}`, "without topic"},
		{"bad header", `{"tests": [{"name": "a", "statements": ["x"], "inputs": [{"topic": "t", "value": 1, "headers": [{"KEY": "k", "VALUE": "!"}]}]}]}`, "base64"},
		{"trailing data", `{"tests": []} {}`, "trailing"},
	}
	dir := t.TempDir()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := filepath.Join(dir, strings.ReplaceAll(tt.name, " ", "_")+".json")
			if err := os.WriteFile(p, []byte(tt.body), 0o644); err != nil {
				t.Fatal(err)
			}
			_, err := LoadFile(p)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("LoadFile error = %v, want it to mention %q", err, tt.want)
			}
		})
	}
}

func TestLoadDirSorted(t *testing.T) {
	files := loadSuite(t)
	for i := 1; i < len(files); i++ {
		if files[i-1].Name >= files[i].Name {
			t.Errorf("files not sorted: %s before %s", files[i-1].Name, files[i].Name)
		}
	}
	if len(files) != 109 {
		t.Errorf("loaded %d files, want 109", len(files))
	}
}

func TestPropertiesScalars(t *testing.T) {
	var p Properties
	if err := json.Unmarshal([]byte(`{"s": "x", "n": 1e3, "b": true, "z": null, "o": {"a": [1, 2]}}`), &p); err != nil {
		t.Fatal(err)
	}
	want := Properties{"s": "x", "n": "1e3", "b": "true", "z": "", "o": `{"a":[1,2]}`}
	for k, v := range want {
		if p[k] != v {
			t.Errorf("%s = %q, want %q", k, p[k], v)
		}
	}
	if v, ok := p.Get("S"); !ok || v != "x" {
		t.Errorf("Get is not case-insensitive: %q %v", v, ok)
	}
}
