package qtt

import (
	"slices"
	"strings"
)

// Case is one runnable instance of a Test after format/config expansion (README 1.4),
// with its core classification and feature classes. Records, topics and post-conditions
// are shared with the Test (expansion does not rewrite them); treat them as read-only.
type Case struct {
	// Name is "<file> - <test>[ - <format>][ - <property>=<value>]", unique in the suite.
	Name string
	// File is the file name without ".json"; Test is the test name.
	File string
	Test string
	// Format is the expansion format substituted for {FORMAT}, "" when the test has none.
	Format string
	// ConfigProperty and Config are the property set from the test's "config" list and
	// its value, "" when the test has none.
	ConfigProperty string
	Config         string
	// Statements are the test's statements with {FORMAT} replaced by Format.
	Statements []string
	// Properties are the test's properties with the {CONFIG} one set to Config.
	Properties Properties
	// Inputs, Outputs, Topics, ExpectedException, Post and Enabled are the test's.
	Inputs            []Record
	Outputs           []Record
	Topics            []Topic
	ExpectedException *ExpectedException
	Post              *Post
	Enabled           bool
	// Core reports whether the case is in the core subset (README 3); when it is not,
	// NonCoreReason says which rule excluded it.
	Core          bool
	NonCoreReason string
	// Features are the feature-class ids (keys of FeatureNames) the case touches, in
	// FeatureOrder order (README 4.1). They are computed for every case but only
	// counted for core ones.
	Features []string
}

// Expand turns every test of f into its test cases, format-major (README 1.4). Disabled
// tests still yield their cases, marked non-core, so runners can report them as
// skipped. The result is in file order; Expand does not modify f.
func Expand(f *File) []Case {
	var out []Case
	for i := range f.Tests {
		t := &f.Tests[i]
		formats := t.Format
		if len(formats) == 0 {
			formats = []string{""}
		}
		configs := t.Config
		var configKey string
		if len(configs) == 0 {
			configs = []string{""}
		} else if keys := t.Properties.configKeys(); len(keys) > 0 {
			configKey = keys[0]
		}
		for _, format := range formats {
			for _, config := range configs {
				out = append(out, expandOne(f.Name, t, format, configKey, config))
			}
		}
	}
	return out
}

func expandOne(file string, t *Test, format, configKey, config string) Case {
	c := Case{
		Name:              file + " - " + t.Name,
		File:              file,
		Test:              t.Name,
		Format:            format,
		Statements:        slices.Clone(t.Statements),
		Properties:        t.Properties.clone(),
		Inputs:            t.Inputs,
		Outputs:           t.Outputs,
		Topics:            t.Topics,
		ExpectedException: t.ExpectedException,
		Post:              t.Post,
		Enabled:           t.Enabled,
	}
	if format != "" {
		c.Name += " - " + format
		for i, s := range c.Statements {
			c.Statements[i] = strings.ReplaceAll(s, "{FORMAT}", format)
		}
	}
	if configKey != "" {
		c.ConfigProperty, c.Config = configKey, config
		c.Properties[configKey] = config
		c.Name += " - " + configKey + "=" + config
	}
	c.Core, c.NonCoreReason = classifyCore(&c)
	c.Features = classifyFeatures(&c)
	return c
}

// HasJoin reports whether any statement of the case contains a JOIN (outside string
// literals and quoted identifiers).
func (c *Case) HasJoin() bool {
	for _, s := range c.Statements {
		if reJoin.MatchString(codeOf(s)) {
			return true
		}
	}
	return false
}

// HasFeature reports whether the case touches feature class id.
func (c *Case) HasFeature(id string) bool { return slices.Contains(c.Features, id) }

// ExpectsError reports whether the case must fail with an exception.
func (c *Case) ExpectsError() bool { return c.ExpectedException != nil }

// ExactNumeric reports whether outputs are compared with exact numerics: true unless the
// property use.exact.numeric.comparison is "false" (README 1.8).
func (c *Case) ExactNumeric() bool {
	v, ok := c.Properties.Get("use.exact.numeric.comparison")
	return !ok || !strings.EqualFold(strings.TrimSpace(v), "false")
}

// MatchOpts returns the options MatchRecord needs for this case's outputs.
func (c *Case) MatchOpts() MatchOpts {
	return MatchOpts{NoInputs: len(c.Inputs) == 0, ExactNumeric: c.ExactNumeric()}
}
