package parser

// Statement is a parsed statement. The implementations are the types in this file; the
// set is closed.
type Statement interface {
	// Position returns the position of the statement's first token.
	Position() Pos
	stmt()
}

// Ident is an identifier: Name is upper-cased when it was unquoted and kept as written when
// it was "double quoted" or `backquoted` (Quoted true).
type Ident struct {
	Name   string
	Quoted bool
	Pos    Pos
}

// Property is one WITH (name = value) entry. Name keeps its case as written for quoted
// names and is upper-cased otherwise; Value is a literal (string, number, boolean) or, for
// a bare identifier, a *Literal of kind LitIdent holding the identifier's text.
type Property struct {
	Name  Ident
	Value *Literal
}

// SourceKind says whether a statement is about a stream or a table.
type SourceKind int

// Source kinds.
const (
	KindStream SourceKind = iota
	KindTable
)

// String returns "STREAM" or "TABLE".
func (k SourceKind) String() string {
	if k == KindTable {
		return "TABLE"
	}
	return "STREAM"
}

// ColumnConstraint is the KEY / PRIMARY KEY / HEADERS / HEADER('k') marker of a column.
type ColumnConstraint int

// Column constraints.
const (
	ColValue      ColumnConstraint = iota // ordinary value column
	ColKey                                // KEY (streams)
	ColPrimaryKey                         // PRIMARY KEY (tables)
	ColHeaders                            // HEADERS: all headers, ARRAY<STRUCT<KEY STRING, VALUE BYTES>>
	ColHeader                             // HEADER('k'): one header's value, BYTES
)

// ColumnDef is one element of a CREATE column list.
type ColumnDef struct {
	Name       Ident
	Type       *Type
	Constraint ColumnConstraint
	HeaderKey  string // for ColHeader
}

// CreateSource is CREATE [OR REPLACE] [SOURCE] STREAM|TABLE [IF NOT EXISTS] name
// [(columns)] [WITH (props)].
type CreateSource struct {
	Pos         Pos
	Kind        SourceKind
	OrReplace   bool
	Source      bool
	IfNotExists bool
	Name        Ident
	Columns     []ColumnDef
	Props       []Property
}

// AlterSource is ALTER STREAM|TABLE name ADD [COLUMN] col type [, ADD [COLUMN] col type]...
type AlterSource struct {
	Pos     Pos
	Kind    SourceKind
	Name    Ident
	Columns []ColumnDef
}

// CreateAsSelect is CREATE [OR REPLACE] STREAM|TABLE [IF NOT EXISTS] name [WITH (props)]
// AS SELECT ...; the query (with its EMIT clause) is kept as a span starting at SELECT:
// SelectText is the original text up to the end of the statement (without ';', variables
// not substituted), SelectPos its start and SelectTokens its tokens (variables substituted,
// ending with TokEOF). The same holds for InsertSelect and Query.
type CreateAsSelect struct {
	Pos          Pos
	Kind         SourceKind
	OrReplace    bool
	IfNotExists  bool
	Name         Ident
	Props        []Property
	SelectText   string
	SelectPos    Pos
	SelectTokens []Token
	Select       *Select // the parsed query
}

// InsertValues is INSERT INTO name [(columns)] VALUES (values).
type InsertValues struct {
	Pos     Pos
	Target  Ident
	Columns []Ident // nil when no column list was given
	Values  []Expr
}

// InsertSelect is INSERT INTO name [WITH (props)] SELECT ... (the query kept as a span).
type InsertSelect struct {
	Pos          Pos
	Target       Ident
	Props        []Property
	SelectText   string
	SelectPos    Pos
	SelectTokens []Token
	Select       *Select // the parsed query
}

// Query is a plain SELECT (pull or push query), kept as a span.
type Query struct {
	Pos          Pos
	SelectText   string
	SelectPos    Pos // equal to Pos
	SelectTokens []Token
	Select       *Select // the parsed query
}

// DropKind is what a DROP statement drops.
type DropKind int

// Drop kinds.
const (
	DropStream DropKind = iota
	DropTable
	DropType
)

// Drop is DROP STREAM|TABLE [IF EXISTS] name [DELETE TOPIC] or DROP TYPE [IF EXISTS] name.
type Drop struct {
	Pos         Pos
	Kind        DropKind
	IfExists    bool
	Name        Ident
	DeleteTopic bool
}

// ShowKind is what SHOW / LIST lists.
type ShowKind int

// Show kinds.
const (
	ShowStreams ShowKind = iota
	ShowTables
	ShowTopics
	ShowQueries
	ShowProperties
	ShowFunctions
	ShowTypes
	ShowVariables
	ShowConnectors
)

var showNames = [...]string{"STREAMS", "TABLES", "TOPICS", "QUERIES", "PROPERTIES", "FUNCTIONS", "TYPES", "VARIABLES", "CONNECTORS"}

// String returns the keyword, e.g. "STREAMS".
func (k ShowKind) String() string { return showNames[k] }

// Show is SHOW|LIST STREAMS|TABLES|[ALL] TOPICS|QUERIES|PROPERTIES|FUNCTIONS|TYPES|VARIABLES|
// CONNECTORS [EXTENDED].
type Show struct {
	Pos      Pos
	Kind     ShowKind
	All      bool // SHOW ALL TOPICS
	Extended bool
}

// Describe is DESCRIBE [EXTENDED] name / DESCRIBE name [EXTENDED].
type Describe struct {
	Pos      Pos
	Name     Ident
	Extended bool
}

// DescribeAll is DESCRIBE STREAMS|TABLES [EXTENDED].
type DescribeAll struct {
	Pos      Pos
	Kind     SourceKind
	Extended bool
}

// DescribeFunction is DESCRIBE FUNCTION name.
type DescribeFunction struct {
	Pos  Pos
	Name Ident
}

// Explain is EXPLAIN queryId (QueryID set) or EXPLAIN statement (Statement set: the
// explained statement, parsed).
type Explain struct {
	Pos       Pos
	QueryID   string
	Statement Statement
}

// Terminate is TERMINATE queryId or TERMINATE ALL (All true).
type Terminate struct {
	Pos     Pos
	QueryID string
	All     bool
}

// SetProperty is SET 'name' = 'value'.
type SetProperty struct {
	Pos   Pos
	Name  string
	Value string
}

// UnsetProperty is UNSET 'name'.
type UnsetProperty struct {
	Pos  Pos
	Name string
}

// Define is DEFINE name = 'value'. Parse applies it to the statements that follow.
type Define struct {
	Pos   Pos
	Name  string
	Value string
}

// Undefine is UNDEFINE name.
type Undefine struct {
	Pos  Pos
	Name string
}

// CreateType is CREATE TYPE [IF NOT EXISTS] name AS type.
type CreateType struct {
	Pos         Pos
	IfNotExists bool
	Name        Ident
	Type        *Type
}

// Print is PRINT topic|'topic' [FROM BEGINNING] [INTERVAL|SAMPLE n] [LIMIT n]. Interval and
// Limit are 0 when absent.
type Print struct {
	Pos           Pos
	Topic         string
	FromBeginning bool
	Interval      int64
	Limit         int64
}

// AssertKind is what an ASSERT statement checks.
type AssertKind int

// Assert kinds.
const (
	AssertTopic AssertKind = iota
	AssertSchema
)

// Assert is ASSERT [NOT EXISTS] TOPIC name [WITH (props)] [TIMEOUT n unit] or
// ASSERT [NOT EXISTS] SCHEMA [SUBJECT name] [ID n] [TIMEOUT n unit].
type Assert struct {
	Pos       Pos
	Kind      AssertKind
	NotExists bool
	Name      string // topic or subject; "" when absent
	ID        int64  // schema id, 0 when absent
	Props     []Property
	Timeout   string // e.g. "10 SECONDS"; "" when absent
}

func (s *CreateSource) Position() Pos     { return s.Pos }
func (s *CreateAsSelect) Position() Pos   { return s.Pos }
func (s *InsertValues) Position() Pos     { return s.Pos }
func (s *InsertSelect) Position() Pos     { return s.Pos }
func (s *Query) Position() Pos            { return s.Pos }
func (s *Drop) Position() Pos             { return s.Pos }
func (s *Show) Position() Pos             { return s.Pos }
func (s *Describe) Position() Pos         { return s.Pos }
func (s *DescribeAll) Position() Pos      { return s.Pos }
func (s *DescribeFunction) Position() Pos { return s.Pos }
func (s *Explain) Position() Pos          { return s.Pos }
func (s *Terminate) Position() Pos        { return s.Pos }
func (s *SetProperty) Position() Pos      { return s.Pos }
func (s *UnsetProperty) Position() Pos    { return s.Pos }
func (s *Define) Position() Pos           { return s.Pos }
func (s *Undefine) Position() Pos         { return s.Pos }
func (s *CreateType) Position() Pos       { return s.Pos }
func (s *Print) Position() Pos            { return s.Pos }
func (s *Assert) Position() Pos           { return s.Pos }
func (s *AlterSource) Position() Pos      { return s.Pos }

func (*CreateSource) stmt()     {}
func (*CreateAsSelect) stmt()   {}
func (*InsertValues) stmt()     {}
func (*InsertSelect) stmt()     {}
func (*Query) stmt()            {}
func (*Drop) stmt()             {}
func (*Show) stmt()             {}
func (*Describe) stmt()         {}
func (*DescribeAll) stmt()      {}
func (*DescribeFunction) stmt() {}
func (*Explain) stmt()          {}
func (*Terminate) stmt()        {}
func (*SetProperty) stmt()      {}
func (*UnsetProperty) stmt()    {}
func (*Define) stmt()           {}
func (*Undefine) stmt()         {}
func (*CreateType) stmt()       {}
func (*Print) stmt()            {}
func (*Assert) stmt()           {}
func (*AlterSource) stmt()      {}
