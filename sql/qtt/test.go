package qtt

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"
)

// Test is one object of a file's "tests" array (README 1.3). A Test becomes one or more
// runnable Cases through Expand.
type Test struct {
	// Name is the test name, unique within its file.
	Name string `json:"name"`
	// Statements are the SQL statements, one per element, executed in order; they may
	// contain the placeholder "{FORMAT}".
	Statements []string `json:"statements"`
	// Format lists the formats substituted for "{FORMAT}", one case each (README 1.4).
	Format []string `json:"format"`
	// Config lists the values substituted for the property whose value is "{CONFIG}".
	Config []string `json:"config"`
	// Properties are the session configuration overrides, every value as a string.
	Properties Properties `json:"properties"`
	// Inputs are the records produced before processing, in file order.
	Inputs []Record `json:"inputs"`
	// Outputs are the records expected on the topics they name, in order per topic.
	Outputs []Record `json:"outputs"`
	// Topics carries optional facts about topics (README 1.12).
	Topics []Topic `json:"topics"`
	// ExpectedException, when set, is the error the test must fail with (README 1.10).
	ExpectedException *ExpectedException `json:"expectedException"`
	// Post holds the post-conditions checked after processing (README 1.11).
	Post *Post `json:"post"`
	// Enabled is false for tests that must be skipped; it defaults to true.
	Enabled bool `json:"enabled"`
	// Versions is the informative ksqlDB version range, nil when absent.
	Versions *Versions `json:"versions"`
}

// Versions is a test's "versions" object; both bounds are optional.
type Versions struct {
	Min string `json:"min"`
	Max string `json:"max"`
}

// UnmarshalJSON decodes a test object, defaulting Enabled to true (an absent or null
// "enabled" leaves the preset value).
func (t *Test) UnmarshalJSON(b []byte) error {
	type plain Test
	t.Enabled = true
	return decodeExact(b, (*plain)(t))
}

func (t *Test) validate() error {
	switch {
	case t.Name == "":
		return errors.New("empty name")
	case len(t.Statements) == 0:
		return errors.New("no statements")
	case t.Inputs == nil && t.Outputs == nil && t.ExpectedException == nil:
		return errors.New("none of inputs, outputs and expectedException")
	case len(t.Config) > 0:
		if n := len(t.Properties.configKeys()); n != 1 {
			return fmt.Errorf(`"config" needs exactly one property set to {CONFIG}, found %d`, n)
		}
	}
	return nil
}

// Properties are ksqlDB configuration overrides. Values are strings: JSON strings as
// written, numbers by their literal text, booleans "true"/"false", null as "" and
// objects or arrays as their compact JSON text.
type Properties map[string]string

// UnmarshalJSON decodes an object of scalars into strings.
func (p *Properties) UnmarshalJSON(b []byte) error {
	var raw map[string]json.RawMessage
	if err := decodeExact(b, &raw); err != nil {
		return err
	}
	if raw == nil {
		*p = nil
		return nil
	}
	out := make(Properties, len(raw))
	for k, v := range raw {
		s, err := scalarText(v)
		if err != nil {
			return fmt.Errorf("property %q: %w", k, err)
		}
		out[k] = s
	}
	*p = out
	return nil
}

// scalarText renders a JSON value as the string a Java Properties lookup would see.
func scalarText(v json.RawMessage) (string, error) {
	v = bytes.TrimSpace(v)
	if len(v) == 0 {
		return "", errors.New("empty value")
	}
	switch v[0] {
	case '"':
		var s string
		err := json.Unmarshal(v, &s)
		return s, err
	case 'n':
		return "", nil
	case '{', '[':
		var buf bytes.Buffer
		if err := json.Compact(&buf, v); err != nil {
			return "", err
		}
		return buf.String(), nil
	default: // number, true, false: the literal text
		return string(v), nil
	}
}

// Get returns the value of key, matching the name case-insensitively when there is no
// exact match (ksqlDB config names are lower case).
func (p Properties) Get(key string) (string, bool) {
	if v, ok := p[key]; ok {
		return v, true
	}
	for k, v := range p {
		if strings.EqualFold(k, key) {
			return v, true
		}
	}
	return "", false
}

// configKeys returns the names of the properties whose value is {CONFIG}
// (case-insensitive), sorted.
func (p Properties) configKeys() []string {
	var keys []string
	for k, v := range p {
		if strings.EqualFold(v, "{CONFIG}") {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	return keys
}

func (p Properties) clone() Properties {
	if p == nil {
		return nil
	}
	out := make(Properties, len(p))
	for k, v := range p {
		out[k] = v
	}
	return out
}

// Topic is an element of a test's "topics" array (README 1.12). Schema fields are kept
// as raw JSON; they only matter for schema-registry formats, outside the core subset.
type Topic struct {
	// Name is the topic name.
	Name string `json:"name"`
	// Partitions is the partition count; 1 when absent.
	Partitions int `json:"partitions"`
	// Replicas is the replication factor; 1 when absent.
	Replicas int `json:"replicas"`
	// KeyFormat and ValueFormat are format names, "" when absent.
	KeyFormat   string `json:"keyFormat"`
	ValueFormat string `json:"valueFormat"`
	// KeySchema and ValueSchema are the registered schemas, nil when absent.
	KeySchema   json.RawMessage `json:"keySchema"`
	ValueSchema json.RawMessage `json:"valueSchema"`
	// KeySchemaID and ValueSchemaID are the registered schema ids, nil when absent.
	KeySchemaID   json.RawMessage `json:"keySchemaId"`
	ValueSchemaID json.RawMessage `json:"valueSchemaId"`
	// KeySchemaReferences and ValueSchemaReferences are schema references, nil when absent.
	KeySchemaReferences   json.RawMessage `json:"keySchemaReferences"`
	ValueSchemaReferences json.RawMessage `json:"valueSchemaReferences"`
	// Format and Schema are legacy keys the current upstream harness ignores.
	Format string          `json:"format"`
	Schema json.RawMessage `json:"schema"`
}

// UnmarshalJSON decodes a topic object, defaulting Partitions and Replicas to 1.
func (t *Topic) UnmarshalJSON(b []byte) error {
	type plain Topic
	if err := decodeExact(b, (*plain)(t)); err != nil {
		return err
	}
	if t.Partitions == 0 {
		t.Partitions = 1
	}
	if t.Replicas == 0 {
		t.Replicas = 1
	}
	return nil
}
