package broker

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"time"

	"github.com/twmb/franz-go/pkg/kfake"
)

// ErrDataDirLocked is returned, wrapped with the directory and the pid of
// the holder when known, by [New] when another broker (in this or another
// process) holds the data directory.
var ErrDataDirLocked = errors.New("broker data dir is locked")

// Broker is a running single-node Kafka broker. Its methods are safe for
// concurrent use.
type Broker struct {
	c    *kfake.Cluster
	addr string
	dir  string   // absolute data directory, "" in memory
	lock *os.File // nil in memory

	closeOnce sync.Once
	closeErr  error
}

// New validates the options, creates and locks the data directory, loads
// what a previous broker persisted there and starts listening. It returns
// once clients can connect. Close the broker to release the port and the
// directory.
func New(opts ...Opt) (*Broker, error) {
	c := defaultCfg()
	for _, o := range opts {
		o.apply(&c)
	}
	if err := c.validate(); err != nil {
		return nil, err
	}

	b := new(Broker)
	ok := false
	defer func() {
		if !ok && b.lock != nil {
			unlockDir(b.lock)
		}
	}()
	if !c.inMemory {
		dir, err := filepath.Abs(c.dataDir)
		if err != nil {
			return nil, fmt.Errorf("broker data dir %q: %w", c.dataDir, err)
		}
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return nil, fmt.Errorf("create broker data dir %q: %w", dir, err)
		}
		if b.lock, err = lockDir(dir); err != nil {
			return nil, err
		}
		b.dir = dir
	}

	ln, err := net.Listen("tcp", c.listen)
	if err != nil {
		return nil, fmt.Errorf("broker listen on %q: %w", c.listen, err)
	}
	aln, err := advertise(ln, c.listen)
	if err != nil {
		ln.Close()
		return nil, err
	}
	b.addr = aln.Addr().String()
	// Accept nothing until the auto-create control is in place.
	ready := make(chan struct{})
	defer close(ready)

	kopts := []kfake.Opt{
		kfake.NumBrokers(1),
		kfake.ListenFn(oneListener(gatedListener{aln, ready})),
		kfake.AllowAutoTopicCreation(),
		kfake.DefaultNumPartitions(int(c.partitions)),
		kfake.GroupMinSessionTimeout(GroupMinSessionTimeout),
		kfake.BrokerConfigs(map[string]string{
			"log.cleaner.backoff.ms": strconv.FormatInt(c.cleaner.Milliseconds(), 10),
		}),
		kfake.WithLogger(slogAdapter{c.logger}),
	}
	if !c.inMemory {
		kopts = append(kopts, kfake.DataDir(b.dir))
	}
	if c.syncWrites {
		kopts = append(kopts, kfake.SyncWrites())
	}
	kopts = append(kopts, c.kfakeOpts...)
	if b.c, err = kfake.NewCluster(kopts...); err != nil {
		ln.Close()
		if b.dir != "" {
			return nil, fmt.Errorf("start broker on data dir %q: %w", b.dir, err)
		}
		return nil, fmt.Errorf("start broker: %w", err)
	}
	persistAutoCreatedTopics(b.c)
	keepCompactedTopics(b.c)
	ok = true
	c.logger.Info("broker started", "addr", b.addr, "data_dir", b.dir)
	return b, nil
}

func (c *cfg) validate() error {
	var errs []error
	if _, _, err := net.SplitHostPort(c.listen); err != nil {
		errs = append(errs, fmt.Errorf("broker listen address %q: want host:port: %w", c.listen, err))
	}
	if !c.inMemory && c.dataDir == "" {
		errs = append(errs, errors.New("broker data dir is empty: give a directory or use InMemory"))
	}
	if c.partitions < 1 {
		errs = append(errs, fmt.Errorf("broker default partitions %d: must be at least 1", c.partitions))
	}
	if c.cleaner < time.Millisecond {
		errs = append(errs, fmt.Errorf("broker cleaner interval %v: must be at least 1ms", c.cleaner))
	}
	if c.logger == nil {
		errs = append(errs, errors.New("broker logger is nil"))
	}
	return errors.Join(errs...)
}

// Addr returns the host:port clients use to reach the broker: the address
// actually bound (the real port when [Listen] asked for port 0), with a
// wildcard host replaced by the advertised host name.
func (b *Broker) Addr() string { return b.addr }

// DataDir returns the absolute data directory, or "" for an [InMemory] broker.
func (b *Broker) DataDir() string { return b.dir }

// Cluster returns the underlying kfake cluster, for tests: ControlKey to
// inject faults, Compact and ApplyRetention to clean on demand.
func (b *Broker) Cluster() *kfake.Cluster { return b.c }

// Close stops listening, writes the broker's state to the data directory and
// releases the directory lock. It is idempotent; later calls return the
// first call's error.
func (b *Broker) Close() error {
	b.closeOnce.Do(func() {
		b.c.Close()
		if b.lock != nil {
			if err := unlockDir(b.lock); err != nil {
				b.closeErr = fmt.Errorf("unlock broker data dir %q: %w", b.dir, err)
			}
		}
	})
	return b.closeErr
}

// oneListener returns a kfake ListenFn that hands out ln once. kfake calls
// its ListenFn once per broker with "127.0.0.1:<port>"; we ignore that
// address because ln is already bound where the user asked.
func oneListener(ln net.Listener) func(network, address string) (net.Listener, error) {
	var mu sync.Mutex
	return func(string, string) (net.Listener, error) {
		mu.Lock()
		defer mu.Unlock()
		if ln == nil {
			return nil, errors.New("broker has a single listener: kfake.NumBrokers and AddNode are not supported")
		}
		l := ln
		ln = nil
		return l, nil
	}
}

// advertise wraps ln so that Addr reports the address clients should use:
// kfake advertises ln.Addr() in metadata. A wildcard host becomes the host
// name, as in Kafka.
func advertise(ln net.Listener, listen string) (net.Listener, error) {
	host, _, _ := net.SplitHostPort(listen)
	if ip := net.ParseIP(host); host != "" && (ip == nil || !ip.IsUnspecified()) {
		return ln, nil
	}
	name, err := os.Hostname()
	if err != nil {
		return nil, fmt.Errorf("broker listen address %q has no host and the host name is unknown: %w", listen, err)
	}
	_, port, _ := net.SplitHostPort(ln.Addr().String())
	return advertisedListener{ln, advertisedAddr(net.JoinHostPort(name, port))}, nil
}

// gatedListener accepts connections only once ready is closed.
type gatedListener struct {
	net.Listener
	ready <-chan struct{}
}

func (l gatedListener) Accept() (net.Conn, error) {
	<-l.ready
	return l.Listener.Accept()
}

type advertisedListener struct {
	net.Listener
	addr advertisedAddr
}

func (l advertisedListener) Addr() net.Addr { return l.addr }

type advertisedAddr string

func (advertisedAddr) Network() string  { return "tcp" }
func (a advertisedAddr) String() string { return string(a) }

// slogAdapter adapts kfake's printf-style Logger to slog.
type slogAdapter struct{ l *slog.Logger }

var _ kfake.Logger = slogAdapter{}

func (a slogAdapter) Logf(level kfake.LogLevel, msg string, args ...any) {
	var l slog.Level
	switch level {
	case kfake.LogLevelError:
		l = slog.LevelError
	case kfake.LogLevelWarn:
		l = slog.LevelWarn
	case kfake.LogLevelInfo:
		l = slog.LevelInfo
	case kfake.LogLevelDebug:
		l = slog.LevelDebug
	default:
		return
	}
	ctx := context.Background()
	if a.l.Enabled(ctx, l) {
		a.l.Log(ctx, l, fmt.Sprintf(msg, args...))
	}
}
