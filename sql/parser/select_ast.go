package parser

// Select is a parsed KSQL query (the body of a SELECT, CREATE ... AS SELECT or INSERT ...
// SELECT). Optional clauses are nil (or empty) when absent.
type Select struct {
	Pos         Pos
	Items       []SelectItem
	From        *Relation
	Window      *WindowSpec
	Where       Expr
	GroupBy     []Expr
	PartitionBy []Expr
	Having      Expr
	Emit        EmitMode
	Limit       *Literal // an integer literal
}

// SelectItem is one item of the select list: an expression with an optional alias, `*`
// (Star true, Source empty) or `src.*` (Star true, Source set).
type SelectItem struct {
	Pos    Pos
	Expr   Expr
	Alias  *Ident
	Star   bool
	Source *Ident
}

// EmitMode is the EMIT clause of a query.
type EmitMode int

// Emit modes.
const (
	EmitNone    EmitMode = iota // no EMIT clause (a pull query, or a persistent query's default)
	EmitChanges                 // EMIT CHANGES
	EmitFinal                   // EMIT FINAL
)

// String returns "", "CHANGES" or "FINAL".
func (m EmitMode) String() string { return [...]string{"", "CHANGES", "FINAL"}[m] }

// Relation is the FROM clause: a source, or a join tree (left-deep: Left is the
// relation built so far).
type Relation struct {
	Pos Pos
	// Source and Alias are set for a single source.
	Source *Ident
	Alias  *Ident
	// Join is set for a join.
	Join *Join
}

// JoinKind is the type of a join.
type JoinKind int

// Join kinds.
const (
	JoinInner JoinKind = iota
	JoinLeft
	JoinRight
	JoinFull
)

// String returns "INNER", "LEFT", "RIGHT" or "FULL".
func (k JoinKind) String() string { return [...]string{"INNER", "LEFT", "RIGHT", "FULL"}[k] }

// Join is Left kind JOIN Right [WITHIN ...] ON On.
type Join struct {
	Pos    Pos // position of the JOIN keyword (or of the join type word before it)
	Kind   JoinKind
	Left   *Relation
	Right  *Relation // always a single source
	Within *JoinWindow
	On     Expr
}

// Duration is a window length as written: Count units, e.g. 10 SECONDS.
type Duration struct {
	Pos   Pos
	Count int64
	Unit  string // upper case, as written: SECOND, SECONDS, MILLISECONDS, ...
}

// JoinWindow is WITHIN n unit or WITHIN (before, after), with an optional GRACE PERIOD.
type JoinWindow struct {
	Pos    Pos
	Before Duration
	After  Duration // equal to Before for WITHIN n unit
	Grace  *Duration
}

// WindowKind is the kind of a WINDOW clause.
type WindowKind int

// Window kinds.
const (
	WindowTumbling WindowKind = iota
	WindowHopping
	WindowSession
)

// String returns "TUMBLING", "HOPPING" or "SESSION".
func (k WindowKind) String() string { return [...]string{"TUMBLING", "HOPPING", "SESSION"}[k] }

// WindowSpec is WINDOW TUMBLING (SIZE d [, RETENTION d] [, GRACE PERIOD d]),
// WINDOW HOPPING (SIZE d, ADVANCE BY d [, ...]) or WINDOW SESSION (d [, ...]).
// Size is the session gap for SESSION windows.
type WindowSpec struct {
	Pos       Pos
	Kind      WindowKind
	Size      Duration
	Advance   *Duration
	Retention *Duration
	Grace     *Duration
}

// ColumnRef is a column reference [source.]name.
type ColumnRef struct {
	Pos    Pos
	Source *Ident
	Name   Ident
}

// Op is a unary or binary operator.
type Op int

// Operators.
const (
	OpAdd Op = iota
	OpSub
	OpMul
	OpDiv
	OpMod
	OpConcat // ||
	OpEq
	OpNe
	OpLt
	OpLe
	OpGt
	OpGe
	OpAnd
	OpOr
	OpNot // unary
	OpNeg // unary -
	OpPlus
)

var opNames = [...]string{"+", "-", "*", "/", "%", "||", "=", "<>", "<", "<=", ">", ">=", "AND", "OR", "NOT", "-", "+"}

// String returns the operator's SQL text.
func (o Op) String() string { return opNames[o] }

// Unary is Op X (NOT, unary minus or plus).
type Unary struct {
	Pos Pos
	Op  Op
	X   Expr
}

// Binary is L Op R.
type Binary struct {
	Pos  Pos
	Op   Op
	L, R Expr
}

// IsNull is X IS [NOT] NULL.
type IsNull struct {
	Pos Pos
	X   Expr
	Not bool
}

// IsDistinct is L IS [NOT] DISTINCT FROM R.
type IsDistinct struct {
	Pos  Pos
	L, R Expr
	Not  bool
}

// Between is X [NOT] BETWEEN Lo AND Hi.
type Between struct {
	Pos       Pos
	X, Lo, Hi Expr
	Not       bool
}

// Like is X [NOT] LIKE Pattern [ESCAPE 'c'] (Escape 0 when absent).
type Like struct {
	Pos        Pos
	X, Pattern Expr
	Escape     rune
	Not        bool
}

// In is X [NOT] IN (List...).
type In struct {
	Pos  Pos
	X    Expr
	List []Expr
	Not  bool
}

// When is one WHEN Cond THEN Result of a CASE.
type When struct {
	Cond, Result Expr
}

// Case is CASE [Operand] WHEN ... [ELSE Else] END; Operand is nil for a searched CASE.
type Case struct {
	Pos     Pos
	Operand Expr
	Whens   []When
	Else    Expr
}

// Deref is X->Field.
type Deref struct {
	Pos   Pos
	X     Expr
	Field Ident
}

// Subscript is X[Index].
type Subscript struct {
	Pos      Pos
	X, Index Expr
}

// Lambda is (Params) => Body, as a function argument.
type Lambda struct {
	Pos    Pos
	Params []Ident
	Body   Expr
}

func (e *ColumnRef) Position() Pos  { return e.Pos }
func (e *Unary) Position() Pos      { return e.Pos }
func (e *Binary) Position() Pos     { return e.Pos }
func (e *IsNull) Position() Pos     { return e.Pos }
func (e *IsDistinct) Position() Pos { return e.Pos }
func (e *Between) Position() Pos    { return e.Pos }
func (e *Like) Position() Pos       { return e.Pos }
func (e *In) Position() Pos         { return e.Pos }
func (e *Case) Position() Pos       { return e.Pos }
func (e *Deref) Position() Pos      { return e.Pos }
func (e *Subscript) Position() Pos  { return e.Pos }
func (e *Lambda) Position() Pos     { return e.Pos }

func (*ColumnRef) expr()  {}
func (*Unary) expr()      {}
func (*Binary) expr()     {}
func (*IsNull) expr()     {}
func (*IsDistinct) expr() {}
func (*Between) expr()    {}
func (*Like) expr()       {}
func (*In) expr()         {}
func (*Case) expr()       {}
func (*Deref) expr()      {}
func (*Subscript) expr()  {}
func (*Lambda) expr()     {}
