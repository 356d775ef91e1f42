// Package qtt is the file-level half of ksqlgo's runner for ksqlDB's query translation
// tests (QTT, upstream's ksqldb-functional-tests; the format is described in
// shared/conformance/README.md). It loads test files, expands tests into test cases,
// classifies each case as core or not and tags it with feature classes, compares actual
// records with expected ones using upstream's ExpectedRecordComparator rules, matches
// expected exceptions, keeps the known-failures file and summarizes results.
//
// It does not execute statements: the engine runs a Case's Statements and Inputs, decodes
// what its queries wrote into comparison values (nil, bool, string, int64, Decimal,
// float64, []byte, []any, map[string]any) and calls MatchRecord for each expected output.
//
// Flow: LoadDir -> Expand -> (engine runs each core Case) -> MatchRecord /
// ExpectedException.Match -> Result -> Summarize; known failures live in a file read by
// LoadKnownFailures and rewritten by WriteKnownFailures.
//
// Imports: the standard library only, so any layer's tests may use it. Everything here is
// safe for concurrent use once built: loaded files and cases are plain values that the
// package never mutates after returning them.
package qtt
