package broker

import (
	"log/slog"
	"time"

	"github.com/twmb/franz-go/pkg/kfake"
)

// Opt configures a [Broker]; pass options to [New].
type Opt interface{ apply(*cfg) }

type opt func(*cfg)

func (o opt) apply(c *cfg) { o(c) }

// Defaults, named after the Kafka settings they stand for.
const (
	// DefaultListen is the address a broker listens on unless [Listen] is given.
	DefaultListen = "127.0.0.1:9092"
	// DefaultDataDir is the data directory unless [DataDir] or [InMemory] is given.
	DefaultDataDir = "./ksqlgo-data/broker"
	// DefaultCleanerInterval is how often compaction and retention run unless
	// [CleanerInterval] is given (Kafka's log.cleaner.backoff.ms is 15s).
	DefaultCleanerInterval = 15 * time.Second
	// GroupMinSessionTimeout is the smallest consumer group session timeout
	// the broker accepts (Kafka's group.min.session.timeout.ms, 6s in
	// Kafka). It is lowered so that tests can use sub-second session
	// timeouts for fast failover; override it with
	// KfakeOpts(kfake.GroupMinSessionTimeout(d)).
	GroupMinSessionTimeout = 100 * time.Millisecond
)

type cfg struct {
	listen     string
	dataDir    string
	inMemory   bool
	partitions int32
	syncWrites bool
	cleaner    time.Duration
	logger     *slog.Logger
	kfakeOpts  []kfake.Opt
}

func defaultCfg() cfg {
	return cfg{
		listen:     DefaultListen,
		dataDir:    DefaultDataDir,
		partitions: 1,
		cleaner:    DefaultCleanerInterval,
		logger:     slog.New(slog.DiscardHandler),
	}
}

// Listen sets the host:port the broker listens on and advertises to
// clients, overriding the default "127.0.0.1:9092". Port 0 picks a free
// port; [Broker.Addr] reports it. A wildcard host ("0.0.0.0", "[::]" or
// empty) listens on every interface and advertises this machine's host name,
// as Kafka does for a listener without a host.
func Listen(addr string) Opt { return opt(func(c *cfg) { c.listen = addr }) }

// DataDir sets the directory the broker persists to, overriding the default
// "./ksqlgo-data/broker". It is created if missing and locked while the
// broker runs. A later DataDir overrides an earlier [InMemory].
func DataDir(dir string) Opt {
	return opt(func(c *cfg) { c.dataDir, c.inMemory = dir, false })
}

// InMemory keeps everything in memory, overriding the default of persisting
// to a data directory: nothing survives Close and no directory is locked.
// For benchmarks and tests. A later [DataDir] overrides it.
func InMemory() Opt { return opt(func(c *cfg) { c.inMemory = true }) }

// DefaultPartitions sets the partition count of auto-created topics and of
// CreateTopics requests with -1 partitions, overriding the default of 1
// (Kafka's num.partitions). It must be at least 1.
func DefaultPartitions(n int32) Opt { return opt(func(c *cfg) { c.partitions = n }) }

// SyncWrites fsyncs every produced batch and every group offset commit
// before acknowledging it, overriding the default of leaving writes in the
// OS page cache until a segment rolls or the broker closes (Kafka's default
// log.flush.interval.messages). Without it acknowledged data survives a
// process crash but not a power loss. Throughput roughly halves.
func SyncWrites() Opt { return opt(func(c *cfg) { c.syncWrites = true }) }

// CleanerInterval sets how often compaction (cleanup.policy=compact) and
// retention (retention.ms, retention.bytes) run, overriding the default 15s
// (Kafka's log.cleaner.backoff.ms). It must be at least 1ms. [Broker.Cluster]'s
// Compact runs them on demand.
func CleanerInterval(d time.Duration) Opt { return opt(func(c *cfg) { c.cleaner = d }) }

// Logger sets the logger for the broker's messages, overriding the default
// of discarding them. kfake's levels map onto slog's.
func Logger(l *slog.Logger) Opt { return opt(func(c *cfg) { c.logger = l }) }

// KfakeOpts passes options straight to kfake.NewCluster, after the broker's
// own, so they override them (for example kfake.GroupMinSessionTimeout or
// kfake.BrokerConfigs). Options that change the listeners (kfake.Ports,
// kfake.NumBrokers, kfake.ListenFn) or the data directory (kfake.DataDir)
// break the broker's guarantees; use Listen and DataDir instead.
func KfakeOpts(opts ...kfake.Opt) Opt {
	return opt(func(c *cfg) { c.kfakeOpts = append(c.kfakeOpts, opts...) })
}
