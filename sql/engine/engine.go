package engine

import (
	"crypto/rand"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/ksqlgo/ksqlgo/runtime"
	"github.com/ksqlgo/ksqlgo/sql/functions"
	"github.com/ksqlgo/ksqlgo/sql/parser"
	"github.com/ksqlgo/ksqlgo/sql/types"
)

// Query is a persistent query: a topology reading source topics and writing a sink.
type Query struct {
	ID        string
	Kind      string // "CSAS", "CTAS", "INSERTQUERY", "CST" (KindSourceTable)
	Sink      string // sink source name
	SinkTopic string
	Sources   []string // source topics, in FROM order
	From      []string // catalog sources read, in FROM order (none for a CST query)
	Topology  *runtime.Topology
	SQL       string
	Internal  []string // internal topics (repartition, changelog)
	// ExactlyOnce: the query runs with exactly-once processing (the processing.guarantee
	// property, or ksql.streams.processing.guarantee, is exactly_once_v2 or
	// exactly_once when it starts).
	ExactlyOnce bool
	// FromLatest: the query reads its sources from their end when it first starts (the
	// auto.offset.reset property, or ksql.streams.auto.offset.reset, is latest); by
	// default it reads them from their beginning.
	FromLatest bool
	// Store is the store pull queries on a table sink read (sinkStore, sourceTableStore
	// for a source table's query, or aggregateStore for an aggregation not emitting final
	// results), "" when the query has none.
	Store string
	// aggregate, when set, reads Store as an aggregation's key-value, window or session
	// store, applying HAVING and the projection to its entries.
	aggregate *aggregateRead
}

// Record is a record written by a statement (INSERT INTO ... VALUES).
type Record struct {
	Topic     string
	Key       []byte
	Value     []byte
	Timestamp int64
	Headers   []runtime.Header
}

// Runner runs what statements create: persistent queries and produced records.
type Runner interface {
	StartQuery(q *Query) error
	StopQuery(q *Query) error
	Produce(r Record) error
	// CreateTopic makes sure topic exists with the given partitions (0 = default).
	CreateTopic(topic string, partitions int) error
}

// Engine executes statements against a catalog. It is not safe for concurrent use.
type Engine struct {
	Catalog *Catalog
	Funcs   *functions.Registry
	Props   map[string]string
	Runner  Runner
	// ServiceID prefixes internal topic names ("_confluent-ksql-<id>query_...").
	ServiceID string
	// Now returns the wall-clock time in ms (INSERT VALUES without ROWTIME).
	Now func() int64
	// Log receives the processing log (records skipped, expressions failing); may be nil.
	Log func(msg string)
	// Commands, when set, keeps every statement that defines the catalog or its queries
	// (ksqlDB's command topic); Sync runs them again after a restart, and those of other
	// engines sharing the log.
	Commands CommandLog

	replaying   bool            // Sync is running commands of the log: log nothing, delete no topic
	applied     int             // commands of the log run (or appended) by this engine
	own         map[string]bool // ids of the commands this engine appended
	cmdSeq      int
	instance    string // random: prefixes this engine's command ids
	queries     []*Query
	counter     int
	vars        map[string]string
	ownRegistry bool // Funcs is this engine's copy (udf.go)
}

// New returns an engine with an empty catalog and the built-in functions.
func New(r Runner) *Engine {
	return &Engine{Catalog: NewCatalog(), Funcs: functions.Builtins(), Props: map[string]string{}, Runner: r,
		ServiceID: "default_", vars: map[string]string{}, instance: rand.Text()[:8]}
}

// Queries returns the running persistent queries in creation order.
func (e *Engine) Queries() []*Query { return e.queries }

// Result is what a statement returns: a message, a table (Columns and Rows) or a
// transient query to stream (Push).
type Result struct {
	Message string
	Query   *Query
	Columns []string
	Rows    [][]string
	// Push is set for a transient SELECT: the caller runs it and reads its rows.
	Push *PushQuery
	// Print is set for PRINT: the caller reads the topic and prints it with a Printer.
	Print *PrintTopic
	// Pull is set for a pull query (SELECT without EMIT): its columns and rows, also
	// rendered as text in Columns and Rows.
	Pull *PullResult
}

// ExecuteScript parses and executes every statement of a script in order, stopping at the
// first error.
func (e *Engine) ExecuteScript(script string) ([]*Result, error) {
	raws, err := parser.Split(script)
	if err != nil {
		return nil, asError(err)
	}
	var out []*Result
	for _, raw := range raws {
		r, err := e.ExecuteRaw(raw)
		if err != nil {
			return out, err
		}
		out = append(out, r)
	}
	return out, nil
}

// ExecuteRaw parses and executes one statement.
func (e *Engine) ExecuteRaw(raw parser.RawStatement) (*Result, error) {
	st, err := parser.ParseStatement(raw, e.vars)
	if err != nil {
		return nil, asError(err)
	}
	counter := e.counter
	r, err := e.Execute(st)
	if err != nil {
		return nil, asError(err)
	}
	if err := e.logCommand(raw, st, counter); err != nil {
		return r, asError(err)
	}
	return r, nil
}

// Execute runs one parsed statement.
func (e *Engine) Execute(st parser.Statement) (*Result, error) {
	switch s := st.(type) {
	case *parser.CreateSource:
		return e.createSource(s)
	case *parser.CreateAsSelect:
		return e.createAsSelect(s)
	case *parser.InsertSelect:
		return e.insertSelect(s)
	case *parser.InsertValues:
		return e.insertValues(s)
	case *parser.Drop:
		return e.drop(s)
	case *parser.SetProperty:
		e.Props[s.Name] = s.Value
		return &Result{Message: "Successfully set property " + s.Name}, nil
	case *parser.UnsetProperty:
		delete(e.Props, s.Name)
		return &Result{Message: "Successfully unset property " + s.Name}, nil
	case *parser.Define:
		e.vars[s.Name] = s.Value
		return &Result{}, nil
	case *parser.Undefine:
		delete(e.vars, s.Name)
		return &Result{}, nil
	case *parser.CreateType:
		return e.createType(s)
	case *parser.AlterSource:
		return e.alter(s)
	case *parser.Terminate:
		return e.terminate(s)
	case *parser.Show:
		return e.show(s)
	case *parser.Describe:
		return e.describe(s)
	case *parser.DescribeAll:
		return e.describeAll(s)
	case *parser.DescribeFunction:
		return e.describeFunction(s)
	case *parser.Explain:
		return e.explain(s)
	case *parser.Query:
		if s.Select.Emit == parser.EmitNone {
			return e.pullQuery(s)
		}
		return e.pushQuery(s)
	case *parser.Assert:
		return e.assert(s)
	case *parser.Print:
		return e.print(s)
	}
	return nil, stmtErrAt(st.Position(), "statement not supported yet: %T", st)
}

func (e *Engine) config() functions.Config { return functions.Config(e.Props) }

func (e *Engine) prop(name string) string { return e.Props[name] }

// fromLatest says whether queries started now read their sources from their end, as
// ksqlDB's auto.offset.reset property (also ksql.streams.auto.offset.reset) asks.
func (e *Engine) fromLatest() bool {
	for _, k := range []string{"ksql.streams.auto.offset.reset", "auto.offset.reset"} {
		if v := strings.ToLower(e.prop(k)); v != "" {
			return v == "latest"
		}
	}
	return false
}

// exactlyOnce says whether persistent queries started now run exactly-once, as ksqlDB's
// processing.guarantee property (also ksql.streams.processing.guarantee) asks.
func (e *Engine) exactlyOnce() bool {
	for _, k := range []string{"ksql.streams.processing.guarantee", "processing.guarantee"} {
		switch strings.ToLower(e.prop(k)) {
		case "exactly_once_v2", "exactly_once":
			return true
		case "at_least_once":
			return false
		}
	}
	return false
}

func (e *Engine) createType(s *parser.CreateType) (*Result, error) {
	if _, ok := e.Catalog.types[s.Name.Name]; ok {
		if s.IfNotExists {
			return &Result{}, nil
		}
		return nil, stmtErrAt(s.Pos, "Cannot register custom type '%s' since it is already registered with type: %s", s.Name.Name, e.Catalog.types[s.Name.Name].SQL())
	}
	t, err := e.resolveType(s.Type)
	if err != nil {
		return nil, err
	}
	e.Catalog.types[s.Name.Name] = t
	return &Result{Message: "Registered custom type " + s.Name.Name}, nil
}

func (e *Engine) terminate(s *parser.Terminate) (*Result, error) {
	keep := e.queries[:0]
	found := false
	for _, q := range e.queries {
		if s.All || strings.EqualFold(q.ID, s.QueryID) {
			found = true
			if err := e.Runner.StopQuery(q); err != nil {
				return nil, err
			}
			if src := e.Catalog.Source(q.Sink); src != nil && src.Query == q.ID {
				src.Query = ""
			}
			continue
		}
		keep = append(keep, q)
	}
	e.queries = keep
	if !found && !s.All {
		return nil, stmtErrAt(s.Pos, "Unknown queryId: %s", s.QueryID)
	}
	return &Result{Message: "Query terminated."}, nil
}

func (e *Engine) drop(s *parser.Drop) (*Result, error) {
	if s.Kind == parser.DropType {
		if _, ok := e.Catalog.types[s.Name.Name]; !ok {
			if s.IfExists {
				return &Result{}, nil
			}
			return nil, stmtErrAt(s.Pos, "Type %s does not exist.", s.Name.Name)
		}
		delete(e.Catalog.types, s.Name.Name)
		return &Result{Message: "Dropped type " + s.Name.Name}, nil
	}
	src := e.Catalog.Source(s.Name.Name)
	kind := "stream"
	if s.Kind == parser.DropTable {
		kind = "table"
	}
	if src == nil {
		if s.IfExists {
			return &Result{}, nil
		}
		return nil, stmtErrAt(s.Pos, "%s %s does not exist.", strings.ToUpper(kind[:1])+kind[1:], s.Name.Name)
	}
	if src.Table != (s.Kind == parser.DropTable) {
		return nil, stmtErrAt(s.Pos, "Incompatible data source type is %s, but statement was DROP %s", src.Kind(), strings.ToUpper(kind))
	}
	if s.DeleteTopic && src.ReadOnly {
		return nil, stmtErrAt(s.Pos, "Cannot delete topic for read-only source: %s", src.Name)
	}
	// As ksqlDB: queries reading the source, and INSERT INTO queries writing into it, must
	// be terminated first; the query that created it is terminated with it.
	var readers, writers []string
	for _, q := range e.queries {
		if slices.Contains(q.From, src.Name) && q.Sink != src.Name {
			readers = append(readers, q.ID)
		}
		if q.Sink == src.Name && q.ID != src.Query {
			writers = append(writers, q.ID)
		}
	}
	if len(readers) > 0 || len(writers) > 0 {
		return nil, stmtErrAt(s.Pos, "Cannot drop %s.\nThe following queries read from this source: [%s].\nThe following queries write into this source: [%s].\nYou need to terminate them before dropping %s.",
			src.Name, strings.Join(readers, ", "), strings.Join(writers, ", "), src.Name)
	}
	if src.Query != "" {
		if _, err := e.terminate(&parser.Terminate{QueryID: src.Query}); err != nil {
			return nil, err
		}
	}
	if s.DeleteTopic {
		if err := e.checkTopicUnshared(s.Pos, src); err != nil {
			return nil, err
		}
	}
	e.Catalog.remove(src.Name)
	// A replay deletes nothing: the topic went when the DROP first ran, and may exist again.
	if s.DeleteTopic && !e.replaying {
		if err := e.deleteTopic(src.Topic); err != nil {
			return nil, stmtErrAt(s.Pos, "Source `%s` was dropped, but deleting its topic %s failed: %v", src.Name, src.Topic, err)
		}
	}
	return &Result{Message: "Source `" + src.Name + "` (topic: " + src.Topic + ") was dropped."}, nil
}

// nextQueryID returns ksqlDB's id for a new query, e.g. CSAS_OUTPUT_0.
func (e *Engine) nextQueryID(kind, sink string) string {
	id := kind + "_" + strings.ToUpper(sink) + "_" + strconv.Itoa(e.counter)
	e.counter++
	return id
}

func (e *Engine) resolveType(t *parser.Type) (*types.Type, error) {
	return convertType(t, e.Catalog.Type)
}

func boolProp(v string) (bool, error) {
	switch strings.ToLower(v) {
	case "true":
		return true, nil
	case "false":
		return false, nil
	}
	return false, fmt.Errorf("invalid boolean %q", v)
}
