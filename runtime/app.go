package runtime

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/ksqlgo/ksqlgo/statestore"
)

// State is the lifecycle state of an App.
type State int32

const (
	StateCreated  State = iota // New returned, Run not called
	StateStarting              // Run is connecting and preparing topics
	StateRunning               // threads are in the consumer group
	StateStopped               // Run returned
)

func (s State) String() string {
	switch s {
	case StateCreated:
		return "CREATED"
	case StateStarting:
		return "STARTING"
	case StateRunning:
		return "RUNNING"
	case StateStopped:
		return "STOPPED"
	}
	return "UNKNOWN"
}

// App runs a topology against Kafka: one instance of an application, with one or more
// stream threads in the consumer group named by the application id. Start more instances
// (processes, or Apps in one process) with the same application id to scale out: tasks move
// between them through rebalancing. Its methods are safe for concurrent use.
type App struct {
	cfg       config
	topo      *Topology
	instance  string
	subs      []*subtopology
	subOf     map[string]int   // resolved source topic -> subtopology
	subTopics map[int][]string // subtopology -> resolved source topics

	partitions map[string]int32 // resolved source topic -> partitions; set before threads start

	db *statestore.DB // nil without stores

	gate *startGate // holds tasks back until all threads are group members

	state    atomic.Int32
	started  atomic.Bool
	mu       sync.Mutex // guards threads, assignCh, and the setting of partitions and db (read by queries)
	threads  []*thread
	assignCh chan struct{}
}

// New validates the topology and options; nothing connects until Run.
func New(t *Topology, appID string, opts ...Opt) (*App, error) {
	if appID == "" {
		return nil, errors.New("application id must not be empty")
	}
	if err := t.Validate(); err != nil {
		return nil, fmt.Errorf("application %q: %w", appID, err)
	}
	cfg := defaultConfig()
	for _, o := range opts {
		o.apply(&cfg)
	}
	cfg.appID = appID
	if err := cfg.validate(); err != nil {
		return nil, fmt.Errorf("application %q: %w", appID, err)
	}
	a := &App{
		cfg:       cfg,
		topo:      t,
		instance:  cfg.instanceID,
		subs:      t.subtopologies(),
		subOf:     map[string]int{},
		subTopics: map[int][]string{},
		assignCh:  make(chan struct{}),
		gate:      newStartGate(cfg.threads),
	}
	if a.instance == "" {
		var b [6]byte
		_, _ = rand.Read(b[:])
		a.instance = hex.EncodeToString(b[:])
	}
	for _, s := range a.subs {
		for _, topic := range s.topics {
			rt := topic
			if t.IsInternal(topic) {
				rt = InternalTopicName(appID, topic)
			}
			a.subOf[rt] = s.id
			a.subTopics[s.id] = append(a.subTopics[s.id], rt)
		}
		slices.Sort(a.subTopics[s.id])
	}
	return a, nil
}

// Run connects (retrying an unreachable cluster for the connect timeout), checks the source
// topics, creates internal topics, and runs the stream threads until ctx is cancelled, when
// it commits, closes the tasks, leaves the group and returns nil; or until a thread fails,
// when it stops the others and returns the error. Run may be called once.
func (a *App) Run(ctx context.Context) error {
	if !a.started.CompareAndSwap(false, true) {
		return errors.New("app: Run called twice")
	}
	defer a.state.Store(int32(StateStopped))
	a.state.Store(int32(StateStarting))
	if err := a.prepare(ctx); err != nil {
		return err
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	a.gate.start(time.Now(), a.cfg.startWait)
	for i := range a.cfg.threads {
		th, err := newThread(a, i)
		if err != nil {
			a.closeThreads()
			if a.db != nil {
				err = errors.Join(err, a.db.Close())
			}
			return err
		}
		a.mu.Lock()
		a.threads = append(a.threads, th)
		a.mu.Unlock()
	}
	a.state.Store(int32(StateRunning))
	a.cfg.log.Info("application running", "app", a.cfg.appID, "instance", a.instance, "threads", a.cfg.threads)
	var wg sync.WaitGroup
	errs := make([]error, len(a.threads))
	for i, th := range a.threads {
		wg.Go(func() {
			if err := th.run(ctx); err != nil {
				errs[i] = fmt.Errorf("thread %d: %w", i, err)
				cancel()
			}
		})
	}
	wg.Wait()
	if a.db != nil {
		errs = append(errs, a.db.Close())
	}
	return errors.Join(errs...)
}

// threadsJoining reports whether every thread's client has a member id in the group (it
// is a member, or its join is on the way to the coordinator).
func (a *App) threadsJoining() bool {
	a.mu.Lock()
	defer a.mu.Unlock()
	if len(a.threads) < a.cfg.threads {
		return false
	}
	for _, th := range a.threads {
		if id, _ := th.cl.GroupMetadata(); id == "" {
			return false
		}
	}
	return true
}

func (a *App) closeThreads() {
	a.mu.Lock()
	defer a.mu.Unlock()
	for _, th := range a.threads {
		th.cl.Close()
	}
}

func (a *App) prepare(ctx context.Context) error {
	cl, err := kgo.NewClient(append([]kgo.Opt{
		kgo.SeedBrokers(a.cfg.brokers...),
		kgo.WithLogger(kgoLogger{a.cfg.log}),
	}, a.cfg.clientOpts...)...)
	if err != nil {
		return fmt.Errorf("application %q: new client: %w", a.cfg.appID, err)
	}
	defer cl.Close()
	adm := kadm.NewClient(cl)
	if err := waitForCluster(ctx, adm, a.cfg.brokers, a.cfg.connectTimeout, a.cfg.log); err != nil {
		return fmt.Errorf("application %q: %w", a.cfg.appID, err)
	}
	counts, err := prepareTopics(ctx, adm, a.topo, &a.cfg)
	if err != nil {
		return fmt.Errorf("application %q: %w", a.cfg.appID, err)
	}
	if a.cfg.fromLatest {
		if err := startSourcesAtEnd(ctx, adm, a.topo, a.cfg.appID); err != nil {
			return fmt.Errorf("application %q: %w", a.cfg.appID, err)
		}
	}
	a.mu.Lock()
	a.partitions = counts
	a.mu.Unlock()
	if len(a.topo.stores) > 0 {
		dir := filepath.Join(a.cfg.stateDir, a.cfg.appID)
		opts := []statestore.Opt{statestore.Logger(a.cfg.log)}
		if a.cfg.stateInMemory {
			dir, opts = "", append(opts, statestore.InMemory())
		}
		db, err := statestore.Open(dir, opts...)
		if err != nil {
			return fmt.Errorf("application %q: open state: %w", a.cfg.appID, err)
		}
		a.mu.Lock()
		a.db = db
		a.mu.Unlock()
	}
	return nil
}

// State returns the App's lifecycle state.
func (a *App) State() State { return State(a.state.Load()) }

// InstanceID is the id this instance announces in the group.
func (a *App) InstanceID() string { return a.instance }

// Tasks returns the tasks this instance runs now, sorted.
func (a *App) Tasks() []TaskID {
	a.mu.Lock()
	threads := slices.Clone(a.threads)
	a.mu.Unlock()
	var out []TaskID
	for _, th := range threads {
		out = append(out, th.ownedTasks()...)
	}
	slices.SortFunc(out, compareTasks)
	return out
}

// AssignmentChanged returns a channel closed at the next change of this instance's tasks.
func (a *App) AssignmentChanged() <-chan struct{} {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.assignCh
}

func (a *App) noteAssignment() {
	a.mu.Lock()
	close(a.assignCh)
	a.assignCh = make(chan struct{})
	a.mu.Unlock()
}

// Metrics returns the counters of all threads.
func (a *App) Metrics() Metrics {
	a.mu.Lock()
	defer a.mu.Unlock()
	var m Metrics
	for _, th := range a.threads {
		th.ctr.add(&m)
	}
	return m
}
