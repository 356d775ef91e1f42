// Package sql is ksqlgo's ksqlDB-compatible SQL engine: parser, analyzer, planner, expression
// compiler, functions and catalog. It compiles statements into dsl topologies.
//
// Nothing lands here yet: the SQL issue fills it. It may import dsl, runtime, serde and
// statestore, never server or cmd.
package sql
