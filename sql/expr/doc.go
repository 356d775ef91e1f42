// Package expr compiles ksqlDB expressions (sql/parser's Expr trees) into Go closures
// over rows: each expression is type-checked once, with ksqlDB's typing rules (implicit
// numeric widening, DECIMAL precision and scale, NULL handling), and becomes a
// func(row []any) (any, error). Nothing walks the AST per record.
//
// A Scope maps column references to row slots; the planner builds scopes from source
// schemas (key columns, value columns, pseudo columns such as ROWTIME) and supplies hooks
// for what is not a scalar expression (aggregate calls are replaced by the slot of their
// result).
//
// Imports: sql/parser (AST), sql/types, sql/functions.
package expr
