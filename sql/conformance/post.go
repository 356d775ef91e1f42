package conformance

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/ksqlgo/ksqlgo/sql/engine"
	"github.com/ksqlgo/ksqlgo/sql/qtt"
)

// checkPostSources checks a case's post.sources (conformance README 1.11) against the
// catalog after the run: each expected source exists with its type, and, when given, its
// schema, key format and windowing, value format and CREATE SOURCE flag. Serde features
// are not compared. The README makes post an optional, separate score: a failure here does
// not fail the case; RunCase records it in Result.PostFailure.
func checkPostSources(c qtt.Case, cat *engine.Catalog) error {
	if c.Post == nil {
		return nil
	}
	var problems []string
	for _, want := range c.Post.Sources {
		src := cat.Source(want.Name)
		if src == nil {
			problems = append(problems, fmt.Sprintf("source %s does not exist", want.Name))
			continue
		}
		if !strings.EqualFold(want.Type, src.Kind()) {
			problems = append(problems, fmt.Sprintf("%s is a %s, want %s", want.Name, src.Kind(), want.Type))
		}
		if want.Schema != "" {
			if err := compareSchema(src, want.Schema); err != nil {
				problems = append(problems, fmt.Sprintf("%s: %v", want.Name, err))
			}
		}
		if kf := want.KeyFormat; kf != nil {
			if kf.Format != "" && !strings.EqualFold(kf.Format, src.KeyFormat) {
				problems = append(problems, fmt.Sprintf("%s: key format %s, want %s", want.Name, src.KeyFormat, kf.Format))
			}
			wt, ws := "", int64(0)
			if src.Window != nil {
				wt, ws = src.Window.Type, src.Window.Size
			}
			var wantSize int64
			if kf.WindowSize != nil {
				wantSize = *kf.WindowSize
			}
			if !strings.EqualFold(kf.WindowType, wt) || wantSize != ws {
				problems = append(problems, fmt.Sprintf("%s: window %q/%d, want %q/%d", want.Name, wt, ws, kf.WindowType, wantSize))
			}
		}
		if want.ValueFormat != "" && !strings.EqualFold(want.ValueFormat, src.ValueFormat) {
			problems = append(problems, fmt.Sprintf("%s: value format %s, want %s", want.Name, src.ValueFormat, want.ValueFormat))
		}
		if want.IsSource != nil && *want.IsSource != src.ReadOnly {
			problems = append(problems, fmt.Sprintf("%s: CREATE SOURCE %v, want %v", want.Name, src.ReadOnly, *want.IsSource))
		}
	}
	if len(problems) > 0 {
		return fmt.Errorf("post: %s", strings.Join(problems, "; "))
	}
	return nil
}

// keyMarker finds the KEY / PRIMARY KEY marker that ends a column definition.
var keyMarker = regexp.MustCompile(`(?i)\s+(PRIMARY\s+)?KEY(\s*,|\s*$)`)

// compareSchema compares src's columns with a schema in ksqlDB's syntax ("ID BIGINT KEY,
// NAME STRING"). The expected schema is read by declaring it on a scratch engine, so that
// the type syntax, its synonyms and the quoting of names mean what they mean in DDL.
func compareSchema(src *engine.Source, schema string) error {
	if strings.Contains(strings.ToUpper(schema), "HEADER") {
		return nil // header columns are not written in DDL syntax here: not checked
	}
	marker := " KEY$2"
	kind := "STREAM"
	if src.Table {
		marker, kind = " PRIMARY KEY$2", "TABLE"
	}
	ddl := fmt.Sprintf("CREATE %s POST_SCHEMA (%s) WITH (KAFKA_TOPIC='post_schema', KEY_FORMAT='JSON', VALUE_FORMAT='JSON');",
		kind, keyMarker.ReplaceAllString(schema, marker))
	scratch := engine.New(&harness{topics: map[string][]topicRecord{}})
	if _, err := scratch.ExecuteScript(ddl); err != nil {
		// A schema DDL cannot declare (pseudo-column names such as ROWOFFSET as key
		// columns after PARTITION BY ROWOFFSET) is not checked.
		return nil
	}
	got, want := renderColumns(src), renderColumns(scratch.Catalog.Source("POST_SCHEMA"))
	if got != want {
		return fmt.Errorf("schema %s, want %s", got, want)
	}
	return nil
}

func renderColumns(s *engine.Source) string {
	parts := make([]string, 0, len(s.Columns))
	for _, c := range s.Columns {
		p := "`" + c.Name + "` " + c.Type.String()
		if c.Kind == engine.KeyCol {
			p += " KEY"
		}
		parts = append(parts, p)
	}
	return strings.Join(parts, ", ")
}
