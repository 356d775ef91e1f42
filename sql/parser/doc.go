// Package parser reads ksqlDB's SQL dialect: a KSQL lexer (positions in runes of the
// original text, `${var}` substitution), statement splitting, and a parser for every
// non-SELECT statement into ksqlgo's own AST (this package's Statement and Expr types).
//
// SELECT bodies (queries, CREATE ... AS SELECT, INSERT ... SELECT, EXPLAIN <statement>)
// are kept for now as raw spans of the original text plus their tokens. A later step
// parses them with TiDB's parser after KSQL-specific rewrites (see the project note on the
// TiDB parser). This package is the only place in ksqlgo where TiDB types will live, and
// none of them may appear in its exported API.
//
// API: Parse(script, vars) parses a whole script (DEFINE/UNDEFINE apply to later
// statements); Split cuts a script into RawStatements and ParseStatement parses one; Lex
// and Substitute expose the token level. Every error is an *Error whose text is
// "line L:C: message", L:C being the position in the original script.
//
// Imports: the standard library only (TiDB's parser later). Everything here is safe for
// concurrent use: parsing keeps no shared state.
package parser
