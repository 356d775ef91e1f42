package server

import (
	"github.com/ksqlgo/ksqlgo/sql/types"
)

// schemaInfo is ksqlDB's SchemaInfo of t: its type name, the fields of a STRUCT, the
// element of an ARRAY or the value of a MAP, and DECIMAL's precision and scale.
func schemaInfo(t *types.Type) map[string]any {
	if t == nil {
		return nil
	}
	m := map[string]any{"type": t.Kind.String(), "fields": nil, "memberSchema": nil}
	switch t.Kind {
	case types.KStruct:
		fs := []any{}
		for _, f := range t.Fields {
			fs = append(fs, map[string]any{"name": f.Name, "schema": schemaInfo(f.Type)})
		}
		m["fields"] = fs
	case types.KArray, types.KMap:
		m["memberSchema"] = schemaInfo(t.Elem)
	case types.KDecimal:
		m["parameters"] = map[string]any{"precision": t.Precision, "scale": t.Scale}
	}
	return m
}
