package runtime

import (
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"
)

// Opt configures an App (New) or a SyncRunner (NewSyncRunner). Options that only make sense
// with Kafka are ignored by the SyncRunner; each says so.
type Opt interface{ apply(*config) }

type optFunc func(*config)

func (f optFunc) apply(c *config) { f(c) }

type config struct {
	appID           string
	brokers         []string
	threads         int
	commitInterval  time.Duration
	log             *slog.Logger
	clientOpts      []kgo.Opt
	connectTimeout  time.Duration
	createSources   int32
	deserPolicy     ErrorPolicy
	procPolicy      ErrorPolicy
	now             func() time.Time
	instanceID      string
	maxPollRecords  int
	sessionTimeout  time.Duration
	rebalanceTimout time.Duration
	stateDir        string
	endpoint        string
	stateInMemory   bool
	startWait       time.Duration // how long a starting App holds its tasks back for its threads (startGate)
	maxTaskIdle     time.Duration
	lagWait         time.Duration // defaultLagWait; tests shorten or lengthen it
	fromLatest      bool
	exactlyOnce     bool
}

func defaultConfig() config {
	return config{
		brokers:         []string{"127.0.0.1:9092"},
		threads:         1,
		commitInterval:  100 * time.Millisecond,
		log:             slog.New(slog.DiscardHandler),
		connectTimeout:  30 * time.Second,
		createSources:   -1,
		now:             time.Now,
		maxPollRecords:  10000,
		sessionTimeout:  10 * time.Second,
		rebalanceTimout: 30 * time.Second,
		stateDir:        filepath.Join(os.TempDir(), "ksqlgo-state"),
		startWait:       startWait,
		maxTaskIdle:     time.Second,
		lagWait:         defaultLagWait,
	}
}

func (c *config) validate() error {
	var errs []error
	if c.threads < 1 {
		errs = append(errs, fmt.Errorf("threads: %d, must be at least 1", c.threads))
	}
	if c.commitInterval <= 0 {
		errs = append(errs, fmt.Errorf("commit interval: %v, must be positive", c.commitInterval))
	}
	if len(c.brokers) == 0 {
		errs = append(errs, errors.New("brokers: none given"))
	}
	if c.connectTimeout <= 0 {
		errs = append(errs, fmt.Errorf("connect timeout: %v, must be positive", c.connectTimeout))
	}
	if c.maxPollRecords < 1 {
		errs = append(errs, fmt.Errorf("max poll records: %d, must be at least 1", c.maxPollRecords))
	}
	return errors.Join(errs...)
}

// Brokers sets the seed brokers, overriding the default "127.0.0.1:9092" (the embedded
// broker's default address). Ignored by the SyncRunner.
func Brokers(seeds ...string) Opt { return optFunc(func(c *config) { c.brokers = seeds }) }

// Threads sets the number of stream threads (goroutines, each a consumer-group member with
// its own client), overriding the default 1 (Kafka Streams' num.stream.threads).
func Threads(n int) Opt { return optFunc(func(c *config) { c.threads = n }) }

// MaxTaskIdle bounds how long a task with several input partitions (a join, a merge)
// waits, before it processes what it has, for an empty partition that no fetch has
// reported on yet (default 1s; 0 or less: never wait). For an empty partition whose
// fetches are known to be behind its high watermark it waits longer (30s): its records
// are on their way. Waiting keeps records in timestamp order across the inputs: a
// stream-table join then reads the table's rows before the stream records that come after
// them, as Kafka Streams does with max.task.idle.ms.
func MaxTaskIdle(d time.Duration) Opt { return optFunc(func(c *config) { c.maxTaskIdle = d }) }

// FromLatest makes a new App (a group with no committed offsets) start reading its
// source topics at their end, so that it processes only records produced from now on
// (Kafka's auto.offset.reset=latest). Without it a new App reads its sources from their
// start. Repartition topics are read from their start either way, and a group that has
// committed offsets resumes from them.
func FromLatest() Opt { return optFunc(func(c *config) { c.fromLatest = true }) }

// CommitInterval sets how often offsets are committed, overriding the default 100ms.
func CommitInterval(d time.Duration) Opt { return optFunc(func(c *config) { c.commitInterval = d }) }

// Logger sets the logger, overriding the default that discards everything.
func Logger(l *slog.Logger) Opt { return optFunc(func(c *config) { c.log = l }) }

// ClientOpts passes options to every franz-go client the App makes, after its own (so they
// override them). Ignored by the SyncRunner.
func ClientOpts(opts ...kgo.Opt) Opt {
	return optFunc(func(c *config) { c.clientOpts = append(c.clientOpts, opts...) })
}

// ConnectTimeout bounds how long Run retries an unreachable cluster before it gives up,
// overriding the default 30s. Ignored by the SyncRunner.
func ConnectTimeout(d time.Duration) Opt { return optFunc(func(c *config) { c.connectTimeout = d }) }

// CreateMissingSourceTopics makes Run create missing source topics with the given partition
// count instead of failing with an error naming them (the default). Ignored by the SyncRunner.
func CreateMissingSourceTopics(partitions int32) Opt {
	return optFunc(func(c *config) { c.createSources = partitions })
}

// OnDeserializationError sets the policy for records that cannot be decoded, overriding the
// default LogAndContinue.
func OnDeserializationError(p ErrorPolicy) Opt { return optFunc(func(c *config) { c.deserPolicy = p }) }

// OnProcessingError sets the policy for records whose processing returns an error,
// overriding the default LogAndContinue.
func OnProcessingError(p ErrorPolicy) Opt { return optFunc(func(c *config) { c.procPolicy = p }) }

// Clock sets the clock of wall-clock punctuators, overriding time.Now.
func Clock(now func() time.Time) Opt { return optFunc(func(c *config) { c.now = now }) }

// InstanceID names this instance in the group's assignment metadata, overriding a random id.
// Ignored by the SyncRunner.
func InstanceID(id string) Opt { return optFunc(func(c *config) { c.instanceID = id }) }

// MaxPollRecords bounds the records one poll returns, overriding the default 10000.
// Ignored by the SyncRunner.
func MaxPollRecords(n int) Opt { return optFunc(func(c *config) { c.maxPollRecords = n }) }

// SessionTimeout sets the consumer-group session timeout, overriding the default 10s.
// Ignored by the SyncRunner.
func SessionTimeout(d time.Duration) Opt { return optFunc(func(c *config) { c.sessionTimeout = d }) }

// StateDir sets the directory under which the application keeps its state stores (in
// <dir>/<application id>), overriding the default <os.TempDir()>/ksqlgo-state (Kafka Streams
// uses /tmp/kafka-streams). Ignored by the SyncRunner, which keeps state in memory.
func StateDir(dir string) Opt { return optFunc(func(c *config) { c.stateDir = dir }) }

// InMemoryState keeps state stores in memory only (they are restored from their changelogs
// at every start). For tests and benchmarks.
func InMemoryState() Opt { return optFunc(func(c *config) { c.stateInMemory = true }) }

// Endpoint sets the address (host:port) at which this instance answers queries for its
// stores (Kafka Streams' application.server); other instances learn it from the group's
// assignment metadata through KeyMetadata. Default: none. Ignored by the SyncRunner.
func Endpoint(hostPort string) Opt { return optFunc(func(c *config) { c.endpoint = hostPort }) }

// ExactlyOnce turns on exactly-once processing (Kafka Streams' processing.guarantee =
// exactly_once_v2), overriding the default at-least-once. Each stream thread produces
// through one transactional producer (transactional id "<application id>-<instance>-<thread>",
// so give instances a stable InstanceID to fence a restarted instance's zombie) and reads its
// input and the changelogs it restores with read_committed isolation. A commit then puts
// everything produced since the previous commit (sink, repartition, changelog and
// dead-letter records) and the input offsets into one transaction, commits it, and only then
// commits the stores with their changelog checkpoints; a crash between the two leaves a
// store behind its checkpoint, which the restore from the changelog repairs. A failure
// inside a transaction (a produce error, a rebalance that loses tasks, a rejected offset
// commit) aborts it: the thread drops its tasks' uncommitted store writes, rewinds their
// input to the committed offsets and carries on; a fenced producer (another instance with
// the same transactional id) stops the thread with an error.
//
// Transactions time out after 10s (kgo.TransactionTimeout through ClientOpts overrides it):
// the transaction left open by an instance that died holds back read_committed readers of
// the topics it wrote, and the offsets of its tasks, until then. Commits cost a round trip
// more than at-least-once ones; keep CommitInterval at its default 100ms or above.
// Ignored by the SyncRunner, which commits after every record.
func ExactlyOnce() Opt { return optFunc(func(c *config) { c.exactlyOnce = true }) }

// txnTimeout is the transaction timeout of ExactlyOnce threads (Kafka Streams' default
// transaction.timeout.ms under exactly-once).
const txnTimeout = 10 * time.Second
