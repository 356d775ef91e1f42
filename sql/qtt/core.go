package qtt

import (
	"fmt"
	"regexp"
	"strings"
)

// coreFormats are the formats of the core subset (README 3 rule 3).
var coreFormats = map[string]bool{"JSON": true, "KAFKA": true, "DELIMITED": true, "NONE": true}

var (
	// reFormatProp finds VALUE_FORMAT / KEY_FORMAT / FORMAT = '...' in a WITH clause.
	reFormatProp = regexp.MustCompile(`(?i)\b(VALUE_FORMAT|KEY_FORMAT|FORMAT)\s*=\s*'([^']*)'`)
	// reSchemaProp finds the schema-registry properties of rule 4.
	reSchemaProp = regexp.MustCompile(`(?i)\b(VALUE_SCHEMA_ID|KEY_SCHEMA_ID|VALUE_SCHEMA_FULL_NAME|KEY_SCHEMA_FULL_NAME|VALUE_AVRO_SCHEMA_FULL_NAME)\b`)
	// reTestUDF finds calls of functions that exist only in upstream's test classpath.
	reTestUDF = regexp.MustCompile(`(?i)\b(TEST_UDF|TEST_UDAF|TEST_UDTF|THROWING_UDTF|BAD_UDF|BAD_TEST_UDF|BAD_TEST_UDTF|BAD_TEST_UDAF|WHENCONDITION|WHENRESULT|TOSTRUCT|VAR_ARG|MID_VAR_ARG|GENERIC_VAR_ARG|MULTI_ARG|OBJ_COL_ARG|FOUR_ARG|FIVE_ARG)\s*\(`)
	// reSchemaMessage finds expected error messages about schema-registry formats.
	reSchemaMessage = regexp.MustCompile(`(?i)schema[ -]?registry|\bavro\b|protobuf|json_sr|schema[ _-]?id|subject`)
)

// defaultFormatProps are the properties naming default key and value formats.
var defaultFormatProps = []string{"ksql.persistence.default.format.key", "ksql.persistence.default.format.value"}

// coreExceptionTypes are the statement-validation exception classes of rule 7.
var coreExceptionTypes = map[string]bool{
	"KsqlStatementException": true,
	"KsqlException":          true,
	"ParseFailedException":   true,
}

// classifyCore applies README section 3, rules 1-7, returning whether c is core and, if
// not, the first rule that excludes it.
func classifyCore(c *Case) (bool, string) {
	if !c.Enabled {
		return false, "rule 1: test disabled"
	}
	if f := strings.ToUpper(c.Format); f != "" && (!coreFormats[f] || f == "NONE") {
		return false, fmt.Sprintf("rule 2: expansion format %s", c.Format)
	}
	for _, s := range c.Statements {
		for _, m := range reFormatProp.FindAllStringSubmatch(s, -1) {
			if !coreFormats[strings.ToUpper(m[2])] {
				return false, fmt.Sprintf("rule 3: %s='%s'", strings.ToUpper(m[1]), m[2])
			}
		}
	}
	for _, p := range defaultFormatProps {
		if v, ok := c.Properties.Get(p); ok && !coreFormats[strings.ToUpper(strings.TrimSpace(v))] {
			return false, fmt.Sprintf("rule 3: %s=%s", p, v)
		}
	}
	for _, s := range c.Statements {
		if m := reSchemaProp.FindString(s); m != "" {
			return false, "rule 4: statement uses " + strings.ToUpper(m)
		}
	}
	for _, t := range c.Topics {
		switch {
		case len(t.KeySchema) > 0, len(t.ValueSchema) > 0, len(t.KeySchemaID) > 0,
			len(t.ValueSchemaID) > 0, len(t.Schema) > 0, len(t.KeySchemaReferences) > 0,
			len(t.ValueSchemaReferences) > 0:
			return false, fmt.Sprintf("rule 5: topic %s carries a schema", t.Name)
		}
		for _, f := range []string{t.KeyFormat, t.ValueFormat, t.Format} {
			if f != "" && !coreFormats[strings.ToUpper(f)] {
				return false, fmt.Sprintf("rule 5: topic %s has format %s", t.Name, f)
			}
		}
	}
	for _, s := range c.Statements {
		if m := reTestUDF.FindStringSubmatch(s); m != nil {
			return false, "rule 6: test-only function " + strings.ToUpper(m[1])
		}
	}
	if e := c.ExpectedException; e != nil {
		if !coreExceptionTypes[SimpleClassName(e.Type)] {
			return false, "rule 7: runtime exception " + SimpleClassName(e.Type)
		}
		for _, m := range []string{e.Message, e.CauseMessage} {
			if reSchemaMessage.MatchString(m) {
				return false, "rule 7: schema-registry error message"
			}
		}
	}
	return true, ""
}
