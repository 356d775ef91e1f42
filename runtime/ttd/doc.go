// Package ttd is ksqlgo's TopologyTestDriver: it runs any runtime.Topology synchronously,
// with no broker. Pipe input records with timestamps, read what the topology wrote per
// topic, advance the wall clock to fire punctuators, read key-value stores (Get, Range,
// All). Records written to a topic the topology
// reads (a repartition topic) are fed back in before Pipe returns. Every topic has one
// partition. It is deterministic: the same inputs give the same outputs.
//
// ttd imports runtime and serde; it is what the runtime, dsl and conformance (QTT) tests
// run on.
package ttd
