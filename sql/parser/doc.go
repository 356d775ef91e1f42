// Package parser reads ksqlDB's SQL dialect: a KSQL lexer (positions in runes of the
// original text, `${var}` substitution), statement splitting, and a parser for every
// non-SELECT statement into ksqlgo's own AST (this package's Statement and Expr types).
//
// SELECT bodies (queries, CREATE ... AS SELECT, INSERT ... SELECT, EXPLAIN <statement>)
// are parsed into a *Select (select_ast.go), and their spans of the original text and
// tokens are kept beside it. The SELECT layer follows the TiDB variant of the project
// note on the TiDB parser: rewrite.go cuts the KSQL-only clauses (EMIT, WINDOW, WITHIN,
// join types, PARTITION BY -> ORDER BY slot) into side tables and rewrites expression
// syntax TiDB lacks (->, [i], ARRAY[...], MAP/STRUCT :=, lambdas, CAST to KSQL types,
// IS [NOT] DISTINCT FROM, ||, f(*), f(DISTINCT ...)) into calls of synthetic '$K_...'
// functions, backquoting every identifier; select.go parses the result with TiDB (modes
// ANSI_QUOTES and NO_BACKSLASH_ESCAPES) and converts TiDB's AST with an allow-list,
// rejecting MySQL-only constructs with a positioned error. Every position, including
// TiDB's error positions, is mapped back to the original text. This package is the only
// place in ksqlgo where TiDB types live, and none of them appear in its exported API.
//
// API: Parse(script, vars) parses a whole script (DEFINE/UNDEFINE apply to later
// statements); Split cuts a script into RawStatements and ParseStatement parses one; Lex
// and Substitute expose the token level. Every error is an *Error whose text is
// "line L:C: message", L:C being the position in the original script.
//
// Imports: the standard library and github.com/pingcap/tidb/pkg/parser (with its
// test_driver for literal values). Everything here is safe for concurrent use: TiDB
// parsers, which are not, are kept in a sync.Pool and used by one goroutine at a time.
package parser
