package qtt

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestMatchResponses(t *testing.T) {
	admin := `{"admin":{"@type":"currentStatus"}}`
	query := `{"query":[{"header":{"schema":"` + "`ID` STRING KEY, `C` DECIMAL(3, 1)" + `","queryId|starts_with":"Q"}},{"row":{"columns":["a",1.0]}},{"row":{"columns":["b",2.5]}},{"finalMessage":"Query Completed"}]}`
	actAdmin := `{"@type":"currentStatus","statementText":"CREATE ...","commandStatus":{"status":"SUCCESS"}}`
	header := `{"header":{"queryId":"Q_1","schema":"` + "`ID` STRING KEY, `C` DECIMAL(3, 1)" + `"}}`
	for _, tc := range []struct {
		name        string
		actual      []string
		verifyOrder bool
		want        string // substring of the mismatch; "" for a match
	}{
		{"match", []string{actAdmin, `[` + header + `,{"row":{"columns":["a",1.0]}},{"row":{"columns":["b",2.5]}},{"finalMessage":"Query Completed"}]`}, false, ""},
		{"rows in any order", []string{actAdmin, `[` + header + `,{"row":{"columns":["b",2.5]}},{"row":{"columns":["a",1.0]}},{"finalMessage":"Query Completed"}]`}, false, ""},
		{"rows in order required", []string{actAdmin, `[` + header + `,{"row":{"columns":["b",2.5]}},{"row":{"columns":["a",1.0]}},{"finalMessage":"Query Completed"}]`}, true, "element 1"},
		{"scale differs", []string{actAdmin, `[` + header + `,{"row":{"columns":["a",1]}},{"row":{"columns":["b",2.5]}},{"finalMessage":"Query Completed"}]`}, false, "no row matches"},
		{"row missing", []string{actAdmin, `[` + header + `,{"row":{"columns":["a",1.0]}},{"finalMessage":"Query Completed"}]`}, false, "3 row elements, want 4"},
		{"duplicate row does not count twice", []string{actAdmin, `[` + header + `,{"row":{"columns":["a",1.0]}},{"row":{"columns":["a",1.0]}},{"finalMessage":"Query Completed"}]`}, false, "no row matches"},
		{"queryId prefix", []string{actAdmin, `[{"header":{"queryId":"X","schema":"` + "`ID` STRING KEY, `C` DECIMAL(3, 1)" + `"}},{"row":{"columns":["a",1.0]}},{"row":{"columns":["b",2.5]}},{"finalMessage":"Query Completed"}]`}, false, "starting with"},
		{"schema differs", []string{actAdmin, `[{"header":{"queryId":"Q","schema":"x"}},{"row":{"columns":["a",1.0]}},{"row":{"columns":["b",2.5]}},{"finalMessage":"Query Completed"}]`}, false, "header.schema"},
		{"admin type differs", []string{`{"@type":"error"}`, `[]`}, false, "response 0"},
		{"too few responses", []string{actAdmin}, false, "1 responses, want at least 2"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var act []json.RawMessage
			for _, a := range tc.actual {
				act = append(act, json.RawMessage(a))
			}
			got := MatchResponses([]json.RawMessage{json.RawMessage(admin), json.RawMessage(query)}, act, tc.verifyOrder)
			if tc.want == "" && got != "" || tc.want != "" && !strings.Contains(got, tc.want) {
				t.Errorf("MatchResponses = %q, want %q", got, tc.want)
			}
		})
	}
}
