package runtime

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"math"
	"slices"
	"sync"
	"time"

	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kgo"
	"github.com/twmb/franz-go/pkg/kmsg"
)

// thread is one stream thread: a goroutine, a franz-go client that is one member of the
// application's consumer group, and the tasks assigned to that member.
//
// The thread goroutine owns the tasks. The client runs rebalance callbacks on its own
// goroutine, but with BlockRebalanceOnPoll they cannot run between a poll and the following
// AllowRebalance, which is where the thread processes; mu makes that hand-over explicit and
// is taken once per poll, never per record. Lock order: thread.mu, then App.mu.
type thread struct {
	app  *App
	idx  int
	log  *slog.Logger
	cl   *kgo.Client
	coll *kgoCollector
	env  *taskEnv
	ctr  counters

	mu         sync.Mutex
	tasks      map[TaskID]*task
	byTP       map[string]map[int32]*task
	fatal      error // set by a callback; the run loop returns it
	lastCommit time.Time
	rejoinedAt uint64 // the held-back assignment after which rejoinIfHeld last rejoined

	// ExactlyOnce (see txn.go): txnID is the client's transactional id ("" when
	// at-least-once); needRewind says a transaction was aborted and the tasks have not
	// been rewound to their last commit yet.
	txnID       string
	needRewind  bool
	txnTopicIDs map[string][16]byte // input topic ids, for TxnOffsetCommit v6+
}

func newThread(a *App, idx int) (*thread, error) {
	th := &thread{
		app:   a,
		idx:   idx,
		log:   a.cfg.log.With("thread", idx),
		tasks: map[TaskID]*task{},
		byTP:  map[string]map[int32]*task{},
	}
	topics := slices.Sorted(maps.Keys(a.subOf))
	opts := []kgo.Opt{
		kgo.SeedBrokers(a.cfg.brokers...),
		kgo.ClientID(fmt.Sprintf("%s-%s-%d", a.cfg.appID, a.instance, idx)),
		kgo.ConsumerGroup(a.cfg.appID),
		kgo.ConsumeTopics(topics...),
		kgo.Balancers(&taskBalancer{
			instance: a.instance, endpoint: a.cfg.endpoint, subOf: a.subOf, topics: a.subTopics,
			waitFor: func() int { return a.gate.waitFor(time.Now()) },
			synced:  func(held bool) { a.gate.synced(idx, held) },
		}),
		kgo.DisableAutoCommit(),
		kgo.BlockRebalanceOnPoll(),
		kgo.OnPartitionsAssigned(th.onAssigned),
		kgo.OnPartitionsRevoked(th.onRevoked),
		kgo.OnPartitionsLost(th.onLost),
		kgo.ConsumeResetOffset(kgo.NewOffset().AtStart()),
		// Transaction markers are delivered (and skipped by the queues), so that a
		// partition whose last offset is a marker counts as fetched to its end: a task
		// waiting for a lagging input (task.idle) would wait for it otherwise.
		kgo.KeepControlRecords(),
		kgo.RecordPartitioner(DefaultPartitioner()),
		kgo.AllowAutoTopicCreation(),
		kgo.SessionTimeout(a.cfg.sessionTimeout),
		kgo.HeartbeatInterval(min(time.Second, a.cfg.sessionTimeout/3)),
		kgo.RebalanceTimeout(a.cfg.rebalanceTimout),
		kgo.WithLogger(kgoLogger{th.log}),
	}
	if a.cfg.exactlyOnce {
		th.txnID = fmt.Sprintf("%s-%s-%d", a.cfg.appID, a.instance, idx)
		opts = append(opts,
			kgo.TransactionalID(th.txnID),
			kgo.TransactionTimeout(txnTimeout),
			kgo.FetchIsolationLevel(kgo.ReadCommitted()),
		)
	}
	// The client joins the group as soon as it exists, and its callbacks use the env:
	// everything they touch is set up first.
	th.coll = newKgoCollector(nil)
	th.env = &taskEnv{
		appID:       a.cfg.appID,
		log:         th.log,
		now:         a.cfg.now,
		collector:   th.coll,
		counters:    &th.ctr,
		deserPolicy: a.cfg.deserPolicy,
		procPolicy:  a.cfg.procPolicy,
		topo:        a.topo,
		db:          a.db,
		maxIdle:     a.cfg.maxTaskIdle,
		lagWait:     a.cfg.lagWait,
	}
	th.mu.Lock() // callbacks wait until the client is stored
	defer th.mu.Unlock()
	cl, err := kgo.NewClient(append(opts, a.cfg.clientOpts...)...)
	if err != nil {
		return nil, fmt.Errorf("thread %d: new client: %w", idx, err)
	}
	th.cl = cl
	th.coll.cl = cl
	if th.txnID != "" {
		if err := cl.BeginTransaction(); err != nil {
			cl.Close()
			return nil, fmt.Errorf("thread %d: begin transaction: %w", idx, err)
		}
	}
	return th, nil
}

// run is the thread loop: poll, hand records to tasks, process, punctuate, commit on the
// interval. It returns nil on ctx cancellation after a final commit, or a fatal error.
func (th *thread) run(ctx context.Context) error {
	th.lastCommit = time.Now()
	var runErr error
	for ctx.Err() == nil {
		pollCtx, cancel := context.WithTimeout(ctx, th.pollTimeout())
		fetches := th.cl.PollRecords(pollCtx, th.app.cfg.maxPollRecords)
		cancel()
		if fetches.IsClientClosed() {
			break
		}
		th.mu.Lock()
		err := th.step(ctx, fetches)
		th.mu.Unlock()
		th.cl.AllowRebalance()
		if err != nil {
			runErr = err
			break
		}
		th.rejoinIfHeld()
	}
	return errors.Join(runErr, th.shutdown(runErr == nil))
}

// rejoinIfHeld rejoins the group, once per assignment, when the thread's tasks are held
// back (startGate) and its sibling threads are joining or the App stopped waiting for
// them, so that the rebalance that gives it tasks follows without waiting for a heartbeat.
func (th *thread) rejoinIfHeld() {
	held, assignment, expired := th.app.gate.heldBack(th.idx, time.Now())
	if !held || assignment == th.rejoinedAt {
		return
	}
	if !expired && !th.app.threadsJoining() {
		return
	}
	th.rejoinedAt = assignment
	th.log.Debug("tasks held back until all threads are members; rejoining", "expired", expired)
	th.cl.ForceRebalance()
}

// pollTimeout bounds a poll so that commits and wall-clock punctuators stay on time, and
// so that a held-back thread of a starting App notices its siblings joining.
func (th *thread) pollTimeout() time.Duration {
	d := th.app.cfg.commitInterval - time.Since(th.lastCommit)
	if th.app.gate.waitFor(time.Now()) > 0 {
		d = min(d, startPoll) // starting: an assignment held back may come any time
	}
	now := th.app.cfg.now().UnixMilli()
	th.mu.Lock()
	for _, tk := range th.tasks {
		for _, p := range tk.punctuators {
			if p.typ == WallClockTime && !p.cancelled {
				d = min(d, time.Duration(p.next-now)*time.Millisecond)
			}
		}
	}
	th.mu.Unlock()
	return max(d, time.Millisecond)
}

func (th *thread) step(ctx context.Context, fetches kgo.Fetches) error {
	if th.fatal != nil {
		return th.fatal
	}
	var rewound map[string]map[int32]bool
	if th.needRewind {
		var err error
		if rewound, err = th.rewind(); err != nil {
			return err
		}
	}
	fetches.EachError(func(topic string, p int32, err error) {
		if errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled) {
			return
		}
		th.log.Warn("fetch error (the client retries)", "topic", topic, "partition", p, "err", err)
	})
	fetches.EachPartition(func(p kgo.FetchTopicPartition) {
		if rewound[p.Topic][p.Partition] {
			return // fetched before the rewind: fetched again from the committed offset
		}
		tk := th.byTP[p.Topic][p.Partition]
		if tk == nil {
			if len(p.Records) > 0 {
				th.log.Warn("records for a partition without task, dropped", "topic", p.Topic, "partition", p.Partition)
			}
			return
		}
		q := tk.queue(p.Topic)
		q.fetchedTo(p.Records, p.HighWatermark)
		if len(p.Records) > 0 {
			q.add(p.Records)
		}
	})
	for _, tk := range th.tasks {
		if tk.restoring {
			if err := th.restore(ctx, tk); err != nil {
				if ctx.Err() != nil {
					return nil // shutting down: the task restores again where it next runs
				}
				return err
			}
		}
	}
	for _, tk := range th.tasks {
		for {
			if _, err := tk.process(math.MaxInt); err != nil {
				return err
			}
			if !tk.needsCommit() {
				break
			}
			// The store session grew large: commit now so that it never outgrows Badger's
			// transaction limit.
			if err := th.commit(context.WithoutCancel(ctx)); err != nil {
				if errors.Is(err, errTxnAborted) {
					th.log.Warn("early commit failed: transaction aborted, rewinding the tasks", "task", tk.id.String(), "err", err)
					return nil
				}
				return fmt.Errorf("early commit for task %s: %w", tk.id, err)
			}
		}
	}
	now := th.app.cfg.now().UnixMilli()
	for _, tk := range th.tasks {
		if err := tk.punctuate(WallClockTime, now); err != nil {
			return err
		}
	}
	if time.Since(th.lastCommit) >= th.app.cfg.commitInterval && ctx.Err() == nil {
		// Shutdown makes the final commit; a commit under way is not cut short by it.
		if err := th.commit(context.WithoutCancel(ctx)); err != nil {
			switch {
			case errors.Is(err, errTxnAborted):
				th.log.Warn("commit failed: transaction aborted, rewinding the tasks", "err", err)
			case errors.Is(err, errFatalFlush):
				return err
			default:
				th.log.Warn("commit failed, retrying at the next interval", "err", err)
			}
		}
	}
	return nil
}

var errFatalFlush = errors.New("records could not be produced (fatal)")

// commit is the commit protocol, the only one (docs/DESIGN.md):
//
//  1. flush the processors of the tasks to commit (record caches forward what they held);
//  2. flush the collector: every record produced since the last commit (sink, repartition,
//     changelog, dead letter) is acknowledged, so changelog offsets are known;
//  3. at-least-once: commit the tasks' store sessions with their changelog checkpoints,
//     then the input offsets to the group. Output is acknowledged before its input is
//     marked done, and a store is never ahead of its checkpoint;
//  4. exactly-once (txn.go): send the input offsets to the open transaction, commit it,
//     then commit the store sessions with their checkpoints. A failure before the
//     transaction commits aborts it and returns an error wrapping errTxnAborted; the
//     thread rewinds its tasks at the next step.
//
// It must be called with mu held.
func (th *thread) commit(ctx context.Context) error {
	th.lastCommit = time.Now()
	offsets := map[string]map[int32]kgo.EpochOffset{}
	var committing []*task
	for _, tk := range th.tasks {
		if tk.commitNeeded {
			tk.offsets(offsets)
			committing = append(committing, tk)
		}
	}
	for _, tk := range committing {
		if err := tk.flushProcessors(); err != nil {
			return fmt.Errorf("%w: %w", errFatalFlush, err)
		}
	}
	if err := th.coll.flush(ctx); err != nil {
		if th.txnID != "" {
			return th.abort(ctx, err)
		}
		return fmt.Errorf("%w: %w", errFatalFlush, err)
	}
	if th.txnID != "" {
		if err := th.commitTxn(ctx, offsets); err != nil {
			return err
		}
	} else if len(committing) > 0 {
		if err := commitStores(committing); err != nil {
			return err
		}
		if err := th.commitOffsets(ctx, offsets); err != nil {
			return err
		}
	}
	if len(committing) == 0 {
		return nil
	}
	if th.txnID != "" {
		if err := commitStores(committing); err != nil {
			return err
		}
	}
	for _, tk := range committing {
		tk.commitNeeded = false
		for _, q := range tk.queues {
			if q.next >= 0 {
				q.rewindTo = q.next
			}
		}
	}
	th.ctr.commits.Add(1)
	return nil
}

func commitStores(tasks []*task) error {
	for _, tk := range tasks {
		if err := tk.commitStores(); err != nil {
			return fmt.Errorf("%w: %w", errFatalFlush, err)
		}
	}
	return nil
}

// commitOffsets commits input offsets to the group (outside any transaction).
func (th *thread) commitOffsets(ctx context.Context, offsets map[string]map[int32]kgo.EpochOffset) error {
	var cerr error
	th.cl.CommitOffsetsSync(ctx, offsets, func(_ *kgo.Client, _ *kmsg.OffsetCommitRequest, resp *kmsg.OffsetCommitResponse, err error) {
		if err != nil {
			cerr = err
			return
		}
		for _, t := range resp.Topics {
			for _, p := range t.Partitions {
				if perr := kerr.ErrorForCode(p.ErrorCode); perr != nil && cerr == nil {
					cerr = fmt.Errorf("commit %s-%d: %w", t.Topic, p.Partition, perr)
				}
			}
		}
	})
	if cerr != nil {
		return fmt.Errorf("commit offsets: %w", cerr)
	}
	return nil
}

func (th *thread) onAssigned(_ context.Context, _ *kgo.Client, assigned map[string][]int32) {
	th.mu.Lock()
	defer th.mu.Unlock()
	var created []string
	for topic, parts := range assigned {
		sub, ok := th.app.subOf[topic]
		if !ok {
			continue
		}
		for _, p := range parts {
			id := TaskID{Subtopology: sub, Partition: p}
			tk := th.tasks[id]
			if tk == nil {
				var err error
				if tk, err = th.newTask(id); err != nil {
					th.fatal = err
					th.log.Error("create task failed", "task", id.String(), "err", err)
					return
				}
				th.tasks[id] = tk
				created = append(created, id.String())
			}
			m := th.byTP[topic]
			if m == nil {
				m = map[int32]*task{}
				th.byTP[topic] = m
			}
			m[p] = tk
		}
	}
	if len(created) > 0 {
		slices.Sort(created)
		th.log.Info("tasks assigned", "tasks", created, "owned", len(th.tasks))
	}
	th.app.noteAssignment()
}

// newTask creates task id; a task with stores restores them before it processes.
func (th *thread) newTask(id TaskID) (*task, error) {
	p := id.Partition
	tk, err := newTask(th.env, th.app.subs[id.Subtopology], p, func(t string) bool { return p < th.app.partitions[t] })
	if err != nil {
		return nil, fmt.Errorf("create task %s (fatal): %w", id, err)
	}
	tk.restoring = tk.state != nil
	if !tk.restoring {
		if err := tk.initProcessors(); err != nil {
			return nil, fmt.Errorf("create task %s (fatal): %w", id, err)
		}
	}
	return tk, nil
}

func (th *thread) onRevoked(ctx context.Context, _ *kgo.Client, revoked map[string][]int32) {
	th.mu.Lock()
	defer th.mu.Unlock()
	if len(revoked) == 0 {
		return
	}
	// Commit everything processed so far while we still own it, then close what goes.
	if err := th.commit(ctx); err != nil {
		th.log.Warn("commit before revocation failed; revoked tasks may reprocess records", "err", err)
		if th.txnID != "" && fenced(err) {
			th.fatal = err // a zombie: stop instead of processing on
		}
	}
	th.dropTasks(revoked, "revoked")
}

func (th *thread) onLost(_ context.Context, _ *kgo.Client, lost map[string][]int32) {
	th.mu.Lock()
	defer th.mu.Unlock()
	if th.txnID != "" && th.fatal == nil && (th.coll.produced.Load() > 0 || th.cl.BufferedProduceRecords() > 0) {
		// The open transaction holds the lost tasks' output: it must not commit.
		actx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		if err := th.abort(actx, errors.New("partitions lost")); !errors.Is(err, errTxnAborted) {
			th.fatal = err
		}
		cancel()
	}
	th.dropTasks(lost, "lost")
}

// dropTasks closes the tasks owning any of parts. Called with mu held.
func (th *thread) dropTasks(parts map[string][]int32, why string) {
	var closed []string
	for topic, ps := range parts {
		for _, p := range ps {
			tk := th.byTP[topic][p]
			if tk == nil {
				continue
			}
			delete(th.byTP[topic], p)
			if _, ok := th.tasks[tk.id]; !ok {
				continue
			}
			delete(th.tasks, tk.id)
			if err := tk.close(); err != nil {
				th.log.Warn("close task", "task", tk.id.String(), "err", err)
			}
			closed = append(closed, tk.id.String())
		}
	}
	// Remove routing entries of closed tasks' other partitions.
	for _, m := range th.byTP {
		for p, tk := range m {
			if tk.closed {
				delete(m, p)
			}
		}
	}
	if len(closed) > 0 {
		slices.Sort(closed)
		th.log.Info("tasks "+why, "tasks", closed, "owned", len(th.tasks))
	}
	th.app.noteAssignment()
}

// shutdown commits (when clean), closes the tasks and leaves the group.
func (th *thread) shutdown(clean bool) error {
	var errs []error
	th.mu.Lock()
	if clean {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		if err := th.commit(ctx); err != nil {
			errs = append(errs, fmt.Errorf("thread %d: final commit: %w", th.idx, err))
		}
		cancel()
	}
	if th.txnID != "" && (!clean || len(errs) > 0) {
		// Abort what the thread did not commit, rather than leave its transaction open
		// (holding back read_committed readers) until it times out.
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		if err := th.cl.AbortBufferedRecords(ctx); err == nil {
			_ = th.cl.EndTransaction(ctx, kgo.TryAbort)
		}
		cancel()
	}
	for id, tk := range th.tasks {
		errs = append(errs, tk.close())
		delete(th.tasks, id)
	}
	clear(th.byTP)
	th.mu.Unlock()
	th.app.noteAssignment()
	th.cl.CloseAllowingRebalance()
	return errors.Join(errs...)
}

// ownedTasks returns the ids of the tasks the thread runs.
func (th *thread) ownedTasks() []TaskID {
	th.mu.Lock()
	defer th.mu.Unlock()
	return slices.Collect(maps.Keys(th.tasks))
}
