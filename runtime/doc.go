// Package runtime is ksqlgo's stream-processing runtime, modelled on Kafka Streams: a
// Topology of source, processor and sink nodes is split into subtopologies at repartition
// topics; each subtopology runs as one task per input partition; tasks are owned by thread
// goroutines that consume as one consumer group per application id, process records in
// timestamp order, forward them synchronously and depth first, write through one collector
// per thread and commit offsets on an interval.
//
// Processing is at-least-once by default: a commit acknowledges every record produced,
// commits the stores with their changelog checkpoints, then the input offsets, so a crash
// reprocesses what came after the last commit. With the ExactlyOnce option each thread
// produces through a transactional producer and reads read_committed: the records produced
// since the last commit and the input offsets commit in one transaction, then the stores;
// a failure aborts the transaction and rewinds the thread's tasks to their last commit.
//
// Layout (one concept per file):
//
//	record.go        Record, Header, TaskID
//	processor.go     Processor, ProcessorContext, punctuation
//	topology.go      Topology: AddSource, AddProcessor, AddSink, internal topics
//	subtopology.go   grouping nodes into subtopologies, Describe
//	task.go          a task: input queues, stream time, processing, offsets
//	queue.go         per-partition record queues and the choice of the next record
//	node.go          node instances and forwarding
//	collector.go     the Collector seam, partitioning
//	handlers.go      deserialization and processing error policies
//	sync.go          SyncRunner: tasks run in the caller's goroutine (runtime/ttd)
//	app.go, thread.go, balancer.go, admin.go   the Kafka-backed application
//	txn.go           ExactlyOnce: the transactional half of thread.commit, abort, rewind
//	startup.go       a starting App's tasks wait until all its threads are group members
//
// runtime may import serde, statestore, the standard library and franz-go; never dsl, sql,
// server or cmd. The thread goroutine owns its tasks: there are no locks on the record path.
package runtime
