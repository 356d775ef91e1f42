// Package engine executes ksqlDB statements: it keeps the catalog (streams, tables,
// types, queries), validates statements with ksqlDB's rules and wording, plans queries
// into dsl topologies (planner_*.go) and hands persistent queries to a Runner (the test
// driver for conformance tests, runtime.App on a broker for the shell and `run`).
//
// Imports: sql/parser, sql/expr, sql/types, sql/functions, sql/format, dsl, runtime, serde.
package engine
