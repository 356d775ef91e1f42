// Package dsl is ksqlgo's typed Go DSL, Kafka Streams' StreamsBuilder and KStream: build
// a graph of operations on typed streams, then compile it into a runtime.Topology that a
// runtime.App (or the test driver, runtime/ttd) runs.
//
//	b := dsl.NewBuilder()
//	orders := dsl.StreamOf(b, "orders", dsl.Consumed(serde.String(), serde.JSON[Order]()))
//	big := orders.Filter(func(id string, o Order) bool { return o.Amount > 100 })
//	dsl.MapValues(big, func(o Order) int64 { return o.Amount }).
//		To("big-amounts", dsl.Produced(serde.String(), serde.Int64()))
//	topo, err := b.Build()
//
// # Operations
//
// Operations that keep the key and value types are methods of Stream (Filter, FilterNot,
// Peek, Foreach, Merge, Split, To, ToFunc, Repartition, Materialize, WithSerdes);
// operations that change them are functions (Map, MapValues, MapValuesWithKey, FlatMap,
// FlatMapValues, FlatMapValuesWithKey, SelectKey, Process), because Go methods take no
// type parameters. Joins are functions too: JoinTable and LeftJoinTable (stream-table),
// JoinTables, LeftJoinTables and OuterJoinTables (table-table), FKJoinTables and
// LeftFKJoinTables (table-table on a foreign key taken from the left row, with no
// co-partitioning needed), JoinStreams, LeftJoinStreams and OuterJoinStreams
// (stream-stream, within JoinWindows); joiners of left and outer joins get a found flag
// beside each side that may be absent.
// Each adds nodes named as Kafka Streams names them ("KSTREAM-FILTER-0000000001", with one
// counter per Builder) unless Named is given. Mistakes (a nil function or serde, a bad or
// duplicate name, an option that does not apply, missing serdes) are recorded and returned
// by Builder.Build, naming the operation and the node.
//
// The Builder keeps its own graph and writes it to the runtime.Topology in Build, so that
// later passes can rewrite it first; Streams remember whether an operation may have changed
// the key since the source or the last repartition (Map, SelectKey, FlatMap, Process), for
// key-based operations to repartition.
//
// # Tables, grouping, aggregation, windows
//
// TableOf reads a topic as a Table (tombstones delete); tables have Filter, ToStream and
// MapTableValues, and forward updates (new and old value) downstream; FilterWithContext,
// MapTableValuesWithContext and TableGroupByWithContext also give their functions the
// RecordContext (timestamp, headers, topic, partition, offset) of the record that caused
// the update. GroupByKey and GroupBy
// group a stream (repartitioning when the key may have changed), TableGroupBy re-groups a
// table; Count, Reduce, Aggregate (and TableAggregate with a subtractor) materialise the
// result in a state store with a changelog and return a Table that emits one update per
// input record, or fewer with Cached. WindowedBy (TumblingWindows, HoppingWindows,
// SlidingWindows) and WindowedBySession (SessionWindows) aggregate per window into tables
// keyed by Windowed[K] (WindowedCount, WindowedAggregate, SessionAggregate, ...);
// SuppressUntilWindowCloses emits each window's final value once (ksqlDB's EMIT FINAL).
// Records with a null key or value, and records for closed windows, are dropped and
// counted (runtime.Metrics.DroppedRecords).
//
// # Serdes
//
// StreamOf requires the serdes of its topics. A Stream carries them while its types do not
// change, so To and Repartition need none; after a type change pass Produced or
// Repartitioned, or attach serdes with WithSerdes.
//
// # Null keys and values
//
// A record with no key, or with a null value (a Kafka tombstone), reaches typed functions
// with the zero K or V: nil for pointer, slice, map and interface types, so use such a
// type to tell a tombstone apart. In the other direction a nil key or value returned by a
// typed function (a nil pointer, slice, map or interface) is written as Kafka null.
// Operations that keep types forward the record itself, so tombstones stay tombstones.
//
// # Errors and panics
//
// The functions of Filter, Map, MapValues and the like return no error, as in Kafka
// Streams. A panic in them is not recovered: on the record path it stops the application,
// as any Go panic does, so return errors from Process instead. A Processor's errors go to
// the application's processing-error policy (runtime.OnProcessingError; by default the
// record is logged, counted and skipped). A key or value of an unexpected Go type (a
// mismatched serde under a hand-built topology) is a processing error too, never a panic.
//
// # Concurrency
//
// A Builder and its Streams are used from one goroutine. The functions given to
// operations run on the goroutines of the tasks: one call at a time per task, but
// concurrently across tasks, so functions shared by tasks must not share unsynchronised
// state. Processors are made per task and need no locks.
//
// dsl imports runtime, serde and the standard library (and, for state, statestore); never
// sql, server or cmd.
package dsl
