// Package conformance runs ksqlDB's functional tests (QTT files, read by sql/qtt) against
// ksqlgo's SQL engine on the test driver, with the reference harness's execution model:
// statements in order, inputs piped per query in file order, outputs compared with
// ksqlDB's record comparison rules. `ksqlgo test` and the conformance Go test use it.
//
// Imports: sql/qtt, sql/engine, sql/format, sql/types, runtime/ttd.
package conformance
