package qtt

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
)

// MatchResponses compares the actual responses of an RQTT case (one JSON document per
// admin statement, then one JSON array of row elements per query) with the expected ones
// (README 2.3). It returns "" when they match, else what differs.
func MatchResponses(expected, actual []json.RawMessage, verifyOrder bool) string {
	if len(actual) < len(expected) {
		return fmt.Sprintf("%d responses, want at least %d", len(actual), len(expected))
	}
	for i, raw := range expected {
		var exp map[string]any
		if err := decodeJSON(raw, &exp); err != nil {
			return fmt.Sprintf("expected response %d: %v", i, err)
		}
		var act any
		if err := decodeJSON(actual[i], &act); err != nil {
			return fmt.Sprintf("actual response %d: %v", i, err)
		}
		for kind, want := range exp {
			var why string
			switch kind {
			case "admin":
				why = contains(want, act, "")
			case "query":
				why = matchQuery(want, act, verifyOrder)
			default:
				why = fmt.Sprintf("unsupported response kind %q", kind)
			}
			if why != "" {
				return fmt.Sprintf("response %d (%s): %s", i, kind, why)
			}
		}
	}
	return ""
}

func decodeJSON(b []byte, v any) error {
	d := json.NewDecoder(bytes.NewReader(b))
	d.UseNumber()
	return d.Decode(v)
}

// matchQuery compares the row elements of a query response. Without verifyOrder, the
// "columns" of "row" elements match as a multiset.
func matchQuery(want, act any, verifyOrder bool) string {
	w, ok1 := want.([]any)
	a, ok2 := act.([]any)
	if !ok1 || !ok2 {
		return fmt.Sprintf("not a row list: %s", render(act))
	}
	if len(w) != len(a) {
		return fmt.Sprintf("%d row elements, want %d: got %s", len(a), len(w), render(act))
	}
	var wantRows, actRows []any
	for i := range w {
		if !verifyOrder && isRow(w[i]) && isRow(a[i]) {
			wantRows = append(wantRows, w[i])
			actRows = append(actRows, a[i])
			continue
		}
		if why := contains(w[i], a[i], ""); why != "" {
			return fmt.Sprintf("element %d: %s; got %s", i, why, render(act))
		}
	}
	used := make([]bool, len(actRows))
	for _, wr := range wantRows {
		found := false
		for j, ar := range actRows {
			if !used[j] && contains(wr, ar, "") == "" {
				used[j], found = true, true
				break
			}
		}
		if !found {
			return fmt.Sprintf("no row matches %s; got %s", render(wr), render(act))
		}
	}
	return ""
}

func isRow(v any) bool {
	m, ok := v.(map[string]any)
	if !ok {
		return false
	}
	_, ok = m["row"]
	return ok
}

// contains reports "" when expected is contained in actual: objects by their expected
// keys (a key "name|starts_with" requires the actual string to start with the expected
// one), arrays element-wise with equal lengths, numbers as exact decimals (equal text),
// anything else equal.
func contains(expected, actual any, path string) string {
	switch e := expected.(type) {
	case map[string]any:
		a, ok := actual.(map[string]any)
		if !ok {
			return fmt.Sprintf("%s: got %s, want an object", pathOr(path), render(actual))
		}
		for k, ev := range e {
			name, op, _ := strings.Cut(k, "|")
			av, present := a[name]
			if !present {
				return fmt.Sprintf("%s: missing %q", pathOr(path), name)
			}
			if op == "starts_with" {
				es, _ := ev.(string)
				as, ok := av.(string)
				if !ok || !strings.HasPrefix(as, es) {
					return fmt.Sprintf("%s.%s: got %s, want a string starting with %q", path, name, render(av), es)
				}
				continue
			}
			if why := contains(ev, av, path+"."+name); why != "" {
				return why
			}
		}
		return ""
	case []any:
		a, ok := actual.([]any)
		if !ok || len(a) != len(e) {
			return fmt.Sprintf("%s: got %s, want %s", pathOr(path), render(actual), render(expected))
		}
		for i := range e {
			if why := contains(e[i], a[i], fmt.Sprintf("%s[%d]", path, i)); why != "" {
				return why
			}
		}
		return ""
	case json.Number:
		if a, ok := actual.(json.Number); ok && numbersEqual(e, a) {
			return ""
		}
	default:
		if expected == actual {
			return ""
		}
	}
	return fmt.Sprintf("%s: got %s, want %s", pathOr(path), render(actual), render(expected))
}

// numbersEqual compares JSON numbers as exact decimals: value and scale.
func numbersEqual(a, b json.Number) bool {
	if a == b {
		return true
	}
	da, err1 := ParseDecimal(string(a))
	db, err2 := ParseDecimal(string(b))
	return err1 == nil && err2 == nil && da.Scale == db.Scale && da.Cmp(db) == 0
}

func pathOr(p string) string {
	if p == "" {
		return "value"
	}
	return strings.TrimPrefix(p, ".")
}

func render(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return string(b)
}
