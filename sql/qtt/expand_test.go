package qtt

import (
	"slices"
	"strings"
	"testing"
)

func TestExpandSample(t *testing.T) {
	f := loadSample(t)
	cases := Expand(f)
	var names []string
	for _, c := range cases {
		names = append(names, c.Name)
	}
	want := []string{ // format-major
		"sample - formats and config - JSON - ksql.new.query.planner.enabled=true",
		"sample - formats and config - JSON - ksql.new.query.planner.enabled=false",
		"sample - formats and config - AVRO - ksql.new.query.planner.enabled=true",
		"sample - formats and config - AVRO - ksql.new.query.planner.enabled=false",
		"sample - windows and headers",
		"sample - disabled",
	}
	if !slices.Equal(names, want) {
		t.Fatalf("names:\n%s\nwant:\n%s", strings.Join(names, "\n"), strings.Join(want, "\n"))
	}
	c := cases[1]
	if c.Format != "JSON" || c.ConfigProperty != "ksql.new.query.planner.enabled" || c.Config != "false" {
		t.Errorf("case 1: format %q config %s=%s", c.Format, c.ConfigProperty, c.Config)
	}
	if got := c.Properties["ksql.new.query.planner.enabled"]; got != "false" {
		t.Errorf("config property = %q", got)
	}
	if got := f.Tests[0].Properties["ksql.new.query.planner.enabled"]; got != "{config}" {
		t.Errorf("Expand modified the test's properties: %q", got)
	}
	if !strings.Contains(c.Statements[0], "kafka_topic='JSON_in', value_format='JSON'") {
		t.Errorf("{FORMAT} not substituted: %s", c.Statements[0])
	}
	if !strings.Contains(f.Tests[0].Statements[0], "{FORMAT}") {
		t.Errorf("Expand modified the test's statements")
	}
	if c.Inputs[0].Topic != "{FORMAT}_in" {
		t.Errorf("records must not be rewritten: topic %q", c.Inputs[0].Topic)
	}
	if !c.Core || cases[2].Core || !strings.HasPrefix(cases[2].NonCoreReason, "rule 2") {
		t.Errorf("core: JSON %v, AVRO %v (%s)", c.Core, cases[2].Core, cases[2].NonCoreReason)
	}
	if c.ExactNumeric() || !cases[4].ExactNumeric() {
		t.Errorf("ExactNumeric: %v %v", c.ExactNumeric(), cases[4].ExactNumeric())
	}
	if opts := cases[4].MatchOpts(); opts.NoInputs || !opts.ExactNumeric {
		t.Errorf("MatchOpts = %+v", opts)
	}
	if d := cases[5]; d.Enabled || d.Core || !strings.HasPrefix(d.NonCoreReason, "rule 1") {
		t.Errorf("disabled case: enabled %v core %v %q", d.Enabled, d.Core, d.NonCoreReason)
	}
	if w := cases[4]; !w.HasFeature("windowed-source") || !w.HasFeature("headers") ||
		!w.HasFeature("windowed-records") || !w.HasFeature("expected-error") || w.HasJoin() {
		t.Errorf("features of %s: %v", w.Name, w.Features)
	}
}

func TestExpandSuiteNames(t *testing.T) {
	cases := suiteCases(t)
	seen := map[string]bool{}
	for _, c := range cases {
		if seen[c.Name] {
			t.Errorf("duplicate case name %q", c.Name)
		}
		seen[c.Name] = true
		if strings.Contains(strings.Join(c.Statements, "\n"), "{FORMAT}") {
			t.Errorf("%s: {FORMAT} left in statements", c.Name)
		}
	}
	for _, name := range []string{
		"select - all columns - star - ksql.new.query.planner.enabled=true",
		"select - all columns - star - ksql.new.query.planner.enabled=false",
		"select - unknown column - ksql.new.query.planner.enabled=true",
		"joins - table table left join - JSON",
		"elements - validate int elements OK - KAFKA",
		"elements - validate int elements OK - DELIMITED",
		"project-filter - WHERE with many comparisons. This tests the fix for #1784",
	} {
		if !seen[name] {
			t.Errorf("case %q missing", name)
		}
	}
}

func TestCaseClassification(t *testing.T) {
	byName := map[string]Case{}
	for _, c := range suiteCases(t) {
		byName[c.Name] = c
	}
	tests := []struct {
		name     string
		core     bool
		features []string
		absent   []string
	}{
		{"joins - table table left join - JSON", true, []string{"join-tt", "table-source", "fmt-json"}, []string{"join-ss", "stateless"}},
		{"joins - table table left join - AVRO", false, nil, nil},
		{"fk-join - Should support inner join with left value-column expression", true, []string{"join-fk"}, []string{"join-tt"}},
		{"select - all columns - star - ksql.new.query.planner.enabled=true", true, []string{"stateless", "stateless-plain", "fmt-kafka-default"}, []string{"arithmetic"}},
		{"joins - stream stream join - contains arithmetic unary expression", true, []string{"join-ss", "arithmetic"}, nil},
		{"floating-point - with exponent", true, []string{"stateless", "where"}, []string{"arithmetic"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, ok := byName[tt.name]
			if !ok {
				t.Fatalf("case not in the suite")
			}
			if c.Core != tt.core {
				t.Errorf("core = %v (%s), want %v", c.Core, c.NonCoreReason, tt.core)
			}
			for _, f := range tt.features {
				if !c.HasFeature(f) {
					t.Errorf("missing feature %s in %v", f, c.Features)
				}
			}
			for _, f := range tt.absent {
				if c.HasFeature(f) {
					t.Errorf("unexpected feature %s in %v", f, c.Features)
				}
			}
			if c.HasJoin() != (c.HasFeature("join-ss") || c.HasFeature("join-st") || c.HasFeature("join-tt") || c.HasFeature("join-fk")) && tt.core {
				t.Errorf("HasJoin = %v with features %v", c.HasJoin(), c.Features)
			}
		})
	}
}
