package engine

import (
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/ksqlgo/ksqlgo/runtime"
	"github.com/ksqlgo/ksqlgo/sql/parser"
)

// MetricsSource is implemented by runners that can report a running query's runtime
// metrics (DESCRIBE EXTENDED shows them).
type MetricsSource interface {
	Metrics(queryID string) (runtime.Metrics, bool)
}

func (e *Engine) show(s *parser.Show) (*Result, error) {
	r := &Result{}
	switch s.Kind {
	case parser.ShowStreams, parser.ShowTables:
		table := s.Kind == parser.ShowTables
		name := "Stream Name"
		if table {
			name = "Table Name"
		}
		r.Columns = []string{name, "Kafka Topic", "Key Format", "Value Format", "Windowed"}
		for _, src := range e.Catalog.Sources() {
			if src.Table != table {
				continue
			}
			r.Rows = append(r.Rows, []string{src.Name, src.Topic, src.KeyFormat, src.ValueFormat, yesNo(src.Window != nil)})
		}
	case parser.ShowQueries:
		r.Columns = []string{"Query ID", "Query Type", "Status", "Sink Name", "Sink Kafka Topic", "Query String"}
		for _, q := range e.queries {
			if q.Kind == "PUSH" {
				continue
			}
			r.Rows = append(r.Rows, []string{q.ID, "PERSISTENT", "RUNNING:1", q.Sink, q.SinkTopic, q.SQL})
		}
	case parser.ShowProperties:
		r.Columns = []string{"Property", "Value"}
		for _, k := range slices.Sorted(maps.Keys(e.Props)) {
			r.Rows = append(r.Rows, []string{k, e.Props[k]})
		}
	case parser.ShowFunctions:
		r.Columns = []string{"Function Name", "Type"}
		for _, n := range e.Funcs.Names() {
			r.Rows = append(r.Rows, []string{n[0], n[1]})
		}
	case parser.ShowTypes:
		r.Columns = []string{"Type Name", "Schema"}
		for _, n := range slices.Sorted(maps.Keys(e.Catalog.types)) {
			r.Rows = append(r.Rows, []string{n, e.Catalog.types[n].SQL()})
		}
	case parser.ShowVariables:
		r.Columns = []string{"Variable Name", "Value"}
		for _, n := range slices.Sorted(maps.Keys(e.vars)) {
			r.Rows = append(r.Rows, []string{n, e.vars[n]})
		}
	case parser.ShowTopics:
		tl, err := e.topicLister(s.Pos, "SHOW TOPICS")
		if err != nil {
			return nil, err
		}
		topics, err := tl.Topics()
		if err != nil {
			return nil, err
		}
		r.Columns = []string{"Kafka Topic", "Partitions", "Partition Replicas"}
		for _, t := range topics {
			if !s.All && strings.HasPrefix(t.Name, "_") {
				continue
			}
			r.Rows = append(r.Rows, []string{t.Name, strconv.Itoa(t.Partitions), strconv.Itoa(t.Replicas)})
		}
	default:
		return nil, stmtErrAt(s.Pos, "SHOW %s is not supported", s.Kind)
	}
	return r, nil
}

func yesNo(b bool) string {
	if b {
		return "true"
	}
	return "false"
}

func (e *Engine) describe(s *parser.Describe) (*Result, error) {
	src := e.Catalog.Source(s.Name.Name)
	if src == nil {
		return nil, stmtErrAt(s.Name.Pos, "Could not find STREAM/TABLE '%s' in the Metastore", s.Name.Name)
	}
	r := &Result{Columns: []string{"Field", "Type"}}
	for _, c := range src.Columns {
		t := c.Type.SQL()
		switch c.Kind {
		case KeyCol:
			if src.Table {
				t += " (primary key)"
			} else {
				t += " (key)"
			}
		case HeadersCol:
			t += " (headers)"
		case HeaderCol:
			t += " (header('" + c.HeaderKey + "'))"
		}
		r.Rows = append(r.Rows, []string{c.Name, t})
	}
	if s.Extended {
		var b strings.Builder
		b.WriteString("Name: " + src.Name + "\nType: " + src.Kind() + "\nKafka topic: " + src.Topic +
			"\nKey format: " + src.KeyFormat + "\nValue format: " + src.ValueFormat + "\n")
		if src.TimestampColumn != "" {
			b.WriteString("Timestamp field: " + src.TimestampColumn + "\n")
		}
		if src.Window != nil {
			b.WriteString("Window: " + src.Window.Type + "\n")
		}
		if src.Query != "" {
			b.WriteString("Written by query: " + src.Query + "\n")
			if q := e.query(src.Query); q != nil {
				b.WriteString(q.Topology.Describe())
			}
			if ms, ok := e.Runner.(MetricsSource); ok {
				if m, ok := ms.Metrics(src.Query); ok {
					fmt.Fprintf(&b, "Runtime statistics: processed %d, deserialization errors %d, processing errors %d, dropped %d, restored %d, commits %d\n",
						m.RecordsProcessed, m.DeserializationErrors, m.ProcessingErrors, m.DroppedRecords, m.RecordsRestored, m.Commits)
				}
			}
		}
		r.Message = b.String()
	}
	return r, nil
}

func (e *Engine) query(id string) *Query {
	for _, q := range e.queries {
		if strings.EqualFold(q.ID, id) {
			return q
		}
	}
	return nil
}

func (e *Engine) describeAll(s *parser.DescribeAll) (*Result, error) {
	r := &Result{}
	var parts []string
	for _, src := range e.Catalog.Sources() {
		if src.Table != (s.Kind == parser.KindTable) {
			continue
		}
		parts = append(parts, src.Name+" ("+src.Schema()+")")
	}
	r.Message = strings.Join(parts, "\n")
	return r, nil
}

func (e *Engine) describeFunction(s *parser.DescribeFunction) (*Result, error) {
	name := strings.ToUpper(s.Name.Name)
	var desc, kind string
	var sigs []string
	switch {
	case e.Funcs.Scalar(name) != nil:
		f := e.Funcs.Scalar(name)
		desc, kind, sigs = f.Description, "SCALAR", f.Signatures
	case e.Funcs.Aggregate(name) != nil:
		f := e.Funcs.Aggregate(name)
		desc, kind, sigs = f.Description, "AGGREGATE", f.Signatures
	case e.Funcs.Table(name) != nil:
		f := e.Funcs.Table(name)
		desc, kind, sigs = f.Description, "TABLE", f.Signatures
	default:
		return nil, stmtErrAt(s.Name.Pos, "Can't find any functions with the name '%s'", name)
	}
	return &Result{Message: "Name: " + name + "\nType: " + kind + "\nDescription: " + desc + "\nVariations:\n  " + strings.Join(sigs, "\n  ")}, nil
}

func (e *Engine) explain(s *parser.Explain) (*Result, error) {
	if s.QueryID != "" {
		q := e.query(s.QueryID)
		if q == nil {
			return nil, stmtErrAt(s.Pos, "Query with id:%s does not exist, use SHOW QUERIES to view the full set of queries.", s.QueryID)
		}
		return &Result{Message: "ID: " + q.ID + "\nSQL: " + q.SQL + "\n" + q.Topology.Describe()}, nil
	}
	var sel *parser.Select
	switch st := s.Statement.(type) {
	case *parser.CreateAsSelect:
		sel = st.Select
	case *parser.InsertSelect:
		sel = st.Select
	case *parser.Query:
		sel = st.Select
	default:
		return nil, stmtErrAt(s.Pos, "EXPLAIN is only supported for queries")
	}
	table := false
	if cs, ok := s.Statement.(*parser.CreateAsSelect); ok {
		table = cs.Kind == parser.KindTable
	} else if len(sel.GroupBy) > 0 {
		table = true
	}
	plan, err := e.planSelect(sel, "EXPLAIN", table, withProps{}, nil, false)
	if err != nil {
		return nil, err
	}
	topo, err := plan.topology("EXPLAIN")
	if err != nil {
		return nil, err
	}
	return &Result{Message: topo.Describe()}, nil
}
