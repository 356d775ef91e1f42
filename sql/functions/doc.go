// Package functions is ksqlgo's registry of SQL functions: scalar functions (UCASE,
// ROUND, ...), aggregate functions (COUNT, SUM, ...) and table functions (EXPLODE, ...),
// with ksqlDB's names, signatures and NULL behaviour.
//
// Every function binds once per call site: Bind gets the argument types (and the values of
// constant arguments, and lambdas to compile) and returns the result type and a Go closure
// that the compiled expression calls per row. Overloads (overload.go) is the declarative
// way to write Bind: a list of signatures in ksqlDB's type syntax with generics, resolved
// with ksqlDB's rules (exact match first, then implicit widening INT -> BIGINT -> DECIMAL ->
// DOUBLE; NULL matches any parameter).
//
// Builtins() returns a registry with every built-in function; applications register their
// own with Register* on a registry of their own (Builtins().Clone()).
//
// Values follow package types (int32 for INT, types.Decimal for DECIMAL, ...); a function
// returns nil for SQL NULL.
//
// Imports: the standard library and sql/types.
package functions
