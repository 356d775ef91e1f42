package functions

import (
	"fmt"
	"sort"
	"strings"
	"sync"

	"github.com/ksqlgo/ksqlgo/sql/types"
)

// Config is the session configuration a function may read at bind time (e.g.
// "ksql.functions.collect_list.limit"). Keys are ksqlDB property names.
type Config map[string]string

// Arg describes one argument of a call at bind time.
type Arg struct {
	// Type is the argument's SQL type; types.NULL for a NULL literal; nil for a lambda.
	Type *types.Type
	// Const is true when the argument is a literal (or folds to one); Value is its value.
	Const bool
	Value any
	// Lambda is set for a lambda argument (x => ..., (x, y) => ...).
	Lambda *Lambda
}

// Lambda is a lambda argument, compiled by the function for its parameter types.
type Lambda struct {
	Params int
	// Bind compiles the body for the given parameter types and returns its result type
	// and a closure evaluating it for parameter values.
	Bind func(params []*types.Type) (ret *types.Type, fn LambdaFunc, err error)
}

// LambdaFunc evaluates a bound lambda's body. env is the value the lambda argument has
// in the Impl's arguments (the enclosing row, whose columns the body may reference);
// args are the parameter values.
type LambdaFunc func(env any, args []any) (any, error)

// Impl evaluates a bound scalar function for one row's argument values.
type Impl func(args []any) (any, error)

// Category groups functions for SHOW FUNCTIONS / DESCRIBE FUNCTION, as ksqlDB does
// ("STRING", "MATHEMATICAL", "DATE / TIME", "JSON", "ARRAY", "MAP", "LAMBDA", "URL",
// "CONVERSIONS", "AGGREGATE", "TABLE", "OTHER").
type Category string

// Scalar is a scalar function.
type Scalar struct {
	Name        string // upper case
	Description string
	Category    Category
	// Signatures are shown by DESCRIBE FUNCTION, e.g. "SUBSTRING(str STRING, pos INT)".
	Signatures []string
	// Bind resolves a call: the result type and the closure, or an error naming the
	// problem (ksqlDB's wording where the conformance tests check it).
	Bind func(args []Arg, cfg Config) (*types.Type, Impl, error)
}

// AggregateImpl is a bound aggregate function. The state is a SQL value (any of package
// types' values, e.g. a *types.Struct or []any) so that it can be stored and restored;
// StateType describes it. Functions never modify a state in place: they return a new one.
type AggregateImpl struct {
	Returns   *types.Type
	StateType *types.Type
	// Init returns the initial state.
	Init func() any
	// Add folds one row's argument values (every argument, constants included, in call
	// order) into the state.
	Add func(state any, args []any) (any, error)
	// Undo removes one row's contribution (table aggregations: the old row of an update);
	// nil when the function cannot be undone (it is then refused on tables).
	Undo func(state any, args []any) (any, error)
	// Merge combines two states (session windows merging); nil when unsupported.
	Merge func(a, b any) (any, error)
	// Result maps a state to the function's value.
	Result func(state any) (any, error)
}

// Aggregate is an aggregate function.
type Aggregate struct {
	Name        string
	Description string
	Signatures  []string
	Bind        func(args []Arg, cfg Config) (*AggregateImpl, error)
}

// TableImpl evaluates a bound table function: the rows it produces for one input row.
type TableImpl func(args []any) ([]any, error)

// Table is a table function (one input row -> zero or more output rows).
type Table struct {
	Name        string
	Description string
	Signatures  []string
	// Bind returns the type of each produced value and the closure.
	Bind func(args []Arg, cfg Config) (*types.Type, TableImpl, error)
}

// Registry holds functions by upper-case name. It is safe for concurrent use.
type Registry struct {
	mu         sync.RWMutex
	scalars    map[string]*Scalar
	aggregates map[string]*Aggregate
	tables     map[string]*Table
}

// NewRegistry returns an empty registry.
func NewRegistry() *Registry {
	return &Registry{scalars: map[string]*Scalar{}, aggregates: map[string]*Aggregate{}, tables: map[string]*Table{}}
}

var (
	builtinsOnce sync.Once
	builtins     *Registry
	// builtinFns is filled by the init functions of this package's files.
	builtinScalars    []*Scalar
	builtinAggregates []*Aggregate
	builtinTables     []*Table
)

// Builtins returns the shared registry of built-in functions. Do not register into it;
// Clone it first.
func Builtins() *Registry {
	builtinsOnce.Do(func() {
		builtins = NewRegistry()
		for _, s := range builtinScalars {
			must(builtins.RegisterScalar(s))
		}
		for _, a := range builtinAggregates {
			must(builtins.RegisterAggregate(a))
		}
		for _, t := range builtinTables {
			must(builtins.RegisterTable(t))
		}
	})
	return builtins
}

func must(err error) {
	if err != nil {
		panic(err)
	}
}

// Clone returns a registry with the same functions, for registering more.
func (r *Registry) Clone() *Registry {
	r.mu.RLock()
	defer r.mu.RUnlock()
	c := NewRegistry()
	for k, v := range r.scalars {
		c.scalars[k] = v
	}
	for k, v := range r.aggregates {
		c.aggregates[k] = v
	}
	for k, v := range r.tables {
		c.tables[k] = v
	}
	return c
}

func (r *Registry) taken(name string) error {
	if _, ok := r.scalars[name]; ok {
		return fmt.Errorf("function %s already exists", name)
	}
	if _, ok := r.aggregates[name]; ok {
		return fmt.Errorf("function %s already exists", name)
	}
	if _, ok := r.tables[name]; ok {
		return fmt.Errorf("function %s already exists", name)
	}
	return nil
}

// RegisterScalar adds a scalar function; names are unique across all kinds.
func (r *Registry) RegisterScalar(s *Scalar) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	s.Name = strings.ToUpper(s.Name)
	if err := r.taken(s.Name); err != nil {
		return err
	}
	r.scalars[s.Name] = s
	return nil
}

// RegisterAggregate adds an aggregate function.
func (r *Registry) RegisterAggregate(a *Aggregate) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	a.Name = strings.ToUpper(a.Name)
	if err := r.taken(a.Name); err != nil {
		return err
	}
	r.aggregates[a.Name] = a
	return nil
}

// RegisterTable adds a table function.
func (r *Registry) RegisterTable(t *Table) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	t.Name = strings.ToUpper(t.Name)
	if err := r.taken(t.Name); err != nil {
		return err
	}
	r.tables[t.Name] = t
	return nil
}

// Scalar returns the scalar function called name (any case), or nil.
func (r *Registry) Scalar(name string) *Scalar {
	r.mu.RLock()
	defer r.mu.RUnlock()
	return r.scalars[strings.ToUpper(name)]
}

// Aggregate returns the aggregate function called name, or nil.
func (r *Registry) Aggregate(name string) *Aggregate {
	r.mu.RLock()
	defer r.mu.RUnlock()
	return r.aggregates[strings.ToUpper(name)]
}

// Table returns the table function called name, or nil.
func (r *Registry) Table(name string) *Table {
	r.mu.RLock()
	defer r.mu.RUnlock()
	return r.tables[strings.ToUpper(name)]
}

// Names returns every function name, sorted, with its kind ("SCALAR", "AGGREGATE",
// "TABLE").
func (r *Registry) Names() [][2]string {
	r.mu.RLock()
	defer r.mu.RUnlock()
	var out [][2]string
	for n := range r.scalars {
		out = append(out, [2]string{n, "SCALAR"})
	}
	for n := range r.aggregates {
		out = append(out, [2]string{n, "AGGREGATE"})
	}
	for n := range r.tables {
		out = append(out, [2]string{n, "TABLE"})
	}
	sort.Slice(out, func(i, j int) bool { return out[i][0] < out[j][0] })
	return out
}
