package engine

import "github.com/ksqlgo/ksqlgo/sql/functions"

// The built-in function registry is shared by every engine; the first user function
// registered gives this engine a copy of its own, so user functions stay private to it.
func (e *Engine) ownFuncs() *functions.Registry {
	if !e.ownRegistry {
		e.Funcs = e.Funcs.Clone()
		e.ownRegistry = true
	}
	return e.Funcs
}

// RegisterScalar adds a user scalar function (a UDF) to this engine's statements.
// functions.Overloads builds its Bind from typed signatures. A name that is taken is
// an error.
func (e *Engine) RegisterScalar(s *functions.Scalar) error { return e.ownFuncs().RegisterScalar(s) }

// RegisterAggregate adds a user aggregate function (a UDAF).
func (e *Engine) RegisterAggregate(a *functions.Aggregate) error {
	return e.ownFuncs().RegisterAggregate(a)
}

// RegisterTable adds a user table function (a UDTF).
func (e *Engine) RegisterTable(t *functions.Table) error { return e.ownFuncs().RegisterTable(t) }
