package server

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/ksqlgo/ksqlgo/sql/engine"
	"github.com/ksqlgo/ksqlgo/sql/parser"
)

// entity is one element of a /ksql response: a ksqlDB KsqlEntity, "@type" naming its kind.
type entity map[string]any

// entity renders the result of statement st (nil when it could not be parsed on its
// own) as ksqlDB's entity, or nil for statements ksqlDB answers without one. Called
// under s.mu.
func (s *Server) entity(st parser.Statement, text string, res *engine.Result) entity {
	switch st := st.(type) {
	case *parser.InsertValues, *parser.SetProperty, *parser.UnsetProperty, *parser.Define, *parser.Undefine:
		return nil
	case *parser.CreateSource:
		return s.status(text, kindWord(st.Kind)+"/`"+st.Name.Name+"`/create", res)
	case *parser.CreateAsSelect:
		return s.status(text, kindWord(st.Kind)+"/`"+st.Name.Name+"`/create", res)
	case *parser.InsertSelect:
		return s.status(text, "stream/`"+st.Target.Name+"`/create", res)
	case *parser.Drop:
		kind := "stream"
		switch st.Kind {
		case parser.DropTable:
			kind = "table"
		case parser.DropType:
			kind = "type"
		}
		return s.status(text, kind+"/`"+st.Name.Name+"`/drop", res)
	case *parser.Terminate:
		id := st.QueryID
		if st.All {
			id = "ALL"
		}
		return s.status(text, "terminate/"+id+"/execute", res)
	case *parser.CreateType:
		return s.status(text, "type/`"+st.Name.Name+"`/create", res)
	case *parser.AlterSource:
		return s.status(text, kindWord(st.Kind)+"/`"+st.Name.Name+"`/alter", res)
	case *parser.Show:
		if e := s.showEntity(st, text, res); e != nil {
			return e
		}
	case *parser.Describe:
		if src := s.eng.Catalog.Source(st.Name.Name); src != nil {
			return entity{"@type": "sourceDescription", "statementText": text,
				"sourceDescription": s.sourceDescription(src, st.Extended), "warnings": []any{}}
		}
	case *parser.DescribeAll:
		var descs []any
		for _, src := range s.eng.Catalog.Sources() {
			if src.Table == (st.Kind == parser.KindTable) {
				descs = append(descs, s.sourceDescription(src, st.Extended))
			}
		}
		return entity{"@type": "source_descriptions", "statementText": text,
			"sourceDescriptions": orEmpty(descs), "warnings": []any{}}
	case *parser.DescribeFunction:
		return s.functionDescription(st, text)
	case *parser.Explain:
		return s.queryDescription(st, text, res)
	}
	return messageEntity(text, res)
}

func kindWord(k parser.SourceKind) string {
	if k == parser.KindTable {
		return "table"
	}
	return "stream"
}

// status is ksqlDB's CommandStatusEntity ("currentStatus") for a successful command.
func (s *Server) status(text, commandID string, res *engine.Result) entity {
	var queryID any
	if res.Query != nil {
		queryID = res.Query.ID
	}
	return entity{
		"@type":                 "currentStatus",
		"statementText":         text,
		"commandId":             commandID,
		"commandStatus":         map[string]any{"status": "SUCCESS", "message": res.Message, "queryId": queryID},
		"commandSequenceNumber": s.seq.Add(1),
		"warnings":              []any{},
	}
}

// messageEntity holds what the engine answered to a statement with no entity of its own
// in ksqlDB: its message and its text table.
func messageEntity(text string, res *engine.Result) entity {
	rows := make([]any, len(res.Rows))
	for i, r := range res.Rows {
		rows[i] = r
	}
	return entity{"@type": "ksqlgo_result", "statementText": text, "message": res.Message,
		"columns": orEmpty(toAny(res.Columns)), "rows": rows, "warnings": []any{}}
}

func (s *Server) showEntity(st *parser.Show, text string, res *engine.Result) entity {
	e := entity{"statementText": text, "warnings": []any{}}
	switch st.Kind {
	case parser.ShowStreams, parser.ShowTables:
		table := st.Kind == parser.ShowTables
		var list []any
		for _, src := range s.eng.Catalog.Sources() {
			if src.Table != table {
				continue
			}
			list = append(list, map[string]any{"type": src.Kind(), "name": src.Name, "topic": src.Topic,
				"keyFormat": src.KeyFormat, "valueFormat": src.ValueFormat, "isWindowed": src.Window != nil})
		}
		key := "streams"
		if table {
			key = "tables"
		}
		e["@type"], e[key] = key, orEmpty(list)
	case parser.ShowQueries:
		var list []any
		for _, q := range s.eng.Queries() {
			if q.Kind != "PUSH" {
				list = append(list, queryInfo(q))
			}
		}
		list = append(list, s.pushInfos()...)
		e["@type"], e["queries"] = "queries", orEmpty(list)
	case parser.ShowTopics:
		var list []any
		for _, row := range res.Rows {
			parts, _ := strconv.Atoi(row[1])
			repl, _ := strconv.Atoi(row[2])
			info := make([]int, parts)
			for i := range info {
				info[i] = repl
			}
			list = append(list, map[string]any{"name": row[0], "replicaInfo": info})
		}
		e["@type"], e["topics"] = "kafka_topics", orEmpty(list)
	case parser.ShowProperties:
		var list []any
		for _, row := range res.Rows {
			list = append(list, map[string]any{"name": row[0], "scope": "KSQL", "value": row[1]})
		}
		e["@type"], e["properties"] = "properties", orEmpty(list)
		e["overwrittenProperties"], e["defaultProperties"] = []any{}, []any{}
	case parser.ShowFunctions:
		var list []any
		for _, n := range s.eng.Funcs.Names() {
			list = append(list, map[string]any{"name": n[0], "type": n[1], "category": ""})
		}
		e["@type"], e["functions"] = "function_names", orEmpty(list)
	case parser.ShowTypes:
		m := map[string]any{}
		for _, row := range res.Rows {
			if t := s.eng.Catalog.Type(row[0]); t != nil {
				m[row[0]] = schemaInfo(t)
			}
		}
		e["@type"], e["types"] = "type_list", m
	case parser.ShowVariables:
		var list []any
		for _, row := range res.Rows {
			list = append(list, map[string]any{"name": row[0], "value": row[1]})
		}
		e["@type"], e["variables"] = "variables", orEmpty(list)
	default:
		return nil
	}
	return e
}

// queryInfo is ksqlDB's RunningQuery for a persistent query.
func queryInfo(q *engine.Query) map[string]any {
	return map[string]any{"queryString": q.SQL, "sinks": []string{q.Sink}, "sinkKafkaTopics": []string{q.SinkTopic},
		"id": q.ID, "statusCount": map[string]int{"RUNNING": 1}, "queryType": "PERSISTENT", "state": "RUNNING"}
}

// sourceDescription is ksqlDB's SourceDescription of src. Called under s.mu.
func (s *Server) sourceDescription(src *engine.Source, extended bool) map[string]any {
	var readers, writers []any
	for _, q := range s.eng.Queries() {
		if q.Kind == "PUSH" {
			continue
		}
		for _, f := range q.From {
			if f == src.Name && q.Sink != src.Name {
				readers = append(readers, queryInfo(q))
				break
			}
		}
		if q.Sink == src.Name {
			writers = append(writers, queryInfo(q))
		}
	}
	var window any
	if src.Window != nil {
		window = src.Window.Type
	}
	stats := ""
	if extended && src.Query != "" {
		if ms, ok := s.eng.Runner.(engine.MetricsSource); ok {
			if m, ok := ms.Metrics(src.Query); ok {
				stats = fmt.Sprintf("total-messages: %d, deserialization-errors: %d, processing-errors: %d, dropped: %d, restored: %d, commits: %d",
					m.RecordsProcessed, m.DeserializationErrors, m.ProcessingErrors, m.DroppedRecords, m.RecordsRestored, m.Commits)
			}
		}
	}
	return map[string]any{
		"name": src.Name, "windowType": window, "readQueries": orEmpty(readers), "writeQueries": orEmpty(writers),
		"fields": fields(src.Columns), "type": src.Kind(), "timestamp": src.TimestampColumn,
		"statistics": stats, "errorStats": "", "extended": extended,
		"keyFormat": src.KeyFormat, "valueFormat": src.ValueFormat, "topic": src.Topic,
		"partitions": src.Partitions, "replication": 1, "statement": src.SQL,
		"queryOffsetSummaries": []any{}, "sourceConstraints": []any{},
		"clusterStatistics": []any{}, "clusterErrorStats": []any{},
	}
}

// fields is ksqlDB's list of FieldInfo: key columns have type "KEY", header columns
// "HEADER".
func fields(cols []engine.Column) []any {
	out := []any{}
	for _, c := range cols {
		f := map[string]any{"name": c.Name, "schema": schemaInfo(c.Type)}
		switch c.Kind {
		case engine.KeyCol:
			f["type"] = "KEY"
		case engine.HeadersCol, engine.HeaderCol:
			f["type"] = "HEADER"
			if c.HeaderKey != "" {
				f["headerKey"] = c.HeaderKey
			}
		}
		out = append(out, f)
	}
	return out
}

// functionDescription is ksqlDB's FunctionDescriptionList ("describe_function").
func (s *Server) functionDescription(st *parser.DescribeFunction, text string) entity {
	name := strings.ToUpper(st.Name.Name)
	var desc, kind string
	var sigs []string
	switch {
	case s.eng.Funcs.Scalar(name) != nil:
		f := s.eng.Funcs.Scalar(name)
		desc, kind, sigs = f.Description, "SCALAR", f.Signatures
	case s.eng.Funcs.Aggregate(name) != nil:
		f := s.eng.Funcs.Aggregate(name)
		desc, kind, sigs = f.Description, "AGGREGATE", f.Signatures
	case s.eng.Funcs.Table(name) != nil:
		f := s.eng.Funcs.Table(name)
		desc, kind, sigs = f.Description, "TABLE", f.Signatures
	}
	variants := []any{}
	for _, sig := range sigs {
		variants = append(variants, map[string]any{"arguments": signatureArgs(sig), "returnType": "",
			"description": desc, "signature": sig})
	}
	return entity{"@type": "describe_function", "statementText": text, "name": name, "description": desc,
		"author": "ksqlgo", "version": "", "path": "internal", "type": kind, "functions": variants, "warnings": []any{}}
}

// signatureArgs parses "F(a STRING, b INT)" into ksqlDB's ArgumentInfo list.
func signatureArgs(sig string) []any {
	out := []any{}
	open, close := strings.IndexByte(sig, '('), strings.LastIndexByte(sig, ')')
	if open < 0 || close <= open+1 {
		return out
	}
	for _, a := range strings.Split(sig[open+1:close], ", ") {
		name, typ, ok := strings.Cut(strings.TrimSpace(a), " ")
		if !ok {
			name, typ = "", name
		}
		variadic := strings.HasSuffix(typ, "...")
		out = append(out, map[string]any{"name": name, "type": strings.TrimSuffix(typ, "..."),
			"description": "", "isVariadic": variadic})
	}
	return out
}

// queryDescription is ksqlDB's QueryDescriptionEntity for EXPLAIN. Called under s.mu.
func (s *Server) queryDescription(st *parser.Explain, text string, res *engine.Result) entity {
	d := map[string]any{"id": "", "statementText": text, "windowType": nil, "fields": []any{},
		"sources": []any{}, "sinks": []any{}, "topology": res.Message, "executionPlan": res.Message,
		"overriddenProperties": map[string]any{}, "streamsProperties": map[string]any{},
		"queryType": "PERSISTENT", "queryErrors": []any{}, "tasksMetadata": []any{}, "state": "UNKNOWN"}
	if st.QueryID != "" {
		for _, q := range s.eng.Queries() {
			if !strings.EqualFold(q.ID, st.QueryID) {
				continue
			}
			d["id"], d["statementText"], d["sources"], d["sinks"] = q.ID, q.SQL, orEmpty(toAny(q.From)), []string{q.Sink}
			d["topology"], d["state"] = q.Topology.Describe(), "RUNNING"
			if sink := s.eng.Catalog.Source(q.Sink); sink != nil {
				d["fields"] = fields(sink.Columns)
				if sink.Window != nil {
					d["windowType"] = sink.Window.Type
				}
			}
		}
	}
	return entity{"@type": "queryDescription", "statementText": text, "queryDescription": d, "warnings": []any{}}
}

func toAny[T any](xs []T) []any {
	out := make([]any, len(xs))
	for i, x := range xs {
		out[i] = x
	}
	return out
}

// orEmpty keeps an empty list an empty JSON array rather than null.
func orEmpty(xs []any) []any {
	if xs == nil {
		return []any{}
	}
	return xs
}
