package runtime

import (
	"context"
	"errors"
	"fmt"
	"sync/atomic"
	"time"

	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kgo"
	"github.com/twmb/franz-go/pkg/kmsg"

	"github.com/ksqlgo/ksqlgo/statestore"
)

// restore brings the stores of a newly assigned task up to the end of their changelogs,
// from their checkpoints: a store whose checkpoint is at the end (a clean restart) replays
// nothing; a store without checkpoint, with a corrupt one or with one beyond the end of the
// changelog, is wiped and replayed from the start. The task processes nothing until this
// returns.
//
// Cancellation of ctx (the application stopping) is not an error: the task stays
// unrestored and drops its buffered input, so that it processes and commits nothing before
// the thread stops. A restore cut short is redone at the next start (replay is idempotent).
func (th *thread) restore(ctx context.Context, tk *task) (err error) {
	m := tk.state
	if m == nil {
		tk.restoring = false
		return nil
	}
	defer func() {
		switch {
		case err == nil:
			tk.restoring = false
		case ctx.Err() != nil:
			tk.log.Info("restore interrupted by shutdown", "err", err)
			for _, q := range tk.queues {
				q.clear()
			}
			err = nil
		}
	}()
	p := tk.id.Partition
	adm := kadm.NewClient(th.cl)
	for _, st := range m.order {
		if st.changelog == "" {
			continue
		}
		name := st.spec.Name
		log := tk.log.With("store", name, "topic", st.changelog, "partition", p)
		cp, ok, err := m.db.Checkpoint(name, p)
		if err != nil {
			if !errors.Is(err, statestore.ErrCorruptCheckpoint) {
				return fmt.Errorf("read checkpoint of store %q task %s (fatal): %w", name, tk.id, err)
			}
			log.Warn("corrupt checkpoint: wiping the store and restoring it from the changelog", "err", err)
			ok = false
		}
		ends, err := adm.ListEndOffsets(ctx, st.changelog)
		if err != nil {
			return fmt.Errorf("end offset of changelog %s (fatal): %w", st.changelog, err)
		}
		end, found := ends.Lookup(st.changelog, p)
		if !found || end.Err != nil {
			return fmt.Errorf("end offset of changelog %s-%d (fatal): %v", st.changelog, p, end.Err)
		}
		if ok && cp > end.Offset {
			// The store holds writes the changelog does not (the topic was recreated, or
			// the broker lost data): it cannot be trusted.
			log.Warn("checkpoint is beyond the end of the changelog: wiping the store and restoring it from the changelog", "checkpoint", cp, "end", end.Offset)
			ok = false
		}
		if th.txnID != "" {
			// Exactly-once: restore only what transactions committed, up to the last
			// stable offset (a store whose checkpoint is beyond it, behind a transaction
			// still open, holds only committed writes: nothing to restore).
			lsos, err := adm.ListCommittedOffsets(ctx, st.changelog)
			if err != nil {
				return fmt.Errorf("last stable offset of changelog %s (fatal): %w", st.changelog, err)
			}
			if lso, found := lsos.Lookup(st.changelog, p); found && lso.Err == nil && lso.Offset < end.Offset {
				end.Offset = lso.Offset
			}
		}
		if !ok {
			if err := m.db.DropPartition(name, p); err != nil {
				return fmt.Errorf("wipe store %q task %s (fatal): %w", name, tk.id, err)
			}
		}
		if st.spec.SourceTopic != "" {
			// A source table's changelog is its input topic: restore only up to the
			// committed input offset; processing continues from there.
			committed, err := th.committed(ctx, adm, st.changelog, p)
			if err != nil {
				return fmt.Errorf("committed offset of %s-%d (fatal): %w", st.changelog, p, err)
			}
			end.Offset = committed
		}
		// The cheap answers first: they spare the start-offset round trips at every start of
		// a new application and at every clean restart.
		if ok && cp >= end.Offset {
			log.Debug("store up to date, nothing to restore", "checkpoint", cp)
			continue
		}
		if end.Offset <= 0 {
			log.Debug("changelog is empty, nothing to restore")
			continue
		}
		starts, err := adm.ListStartOffsets(ctx, st.changelog)
		if err != nil {
			return fmt.Errorf("start offset of changelog %s (fatal): %w", st.changelog, err)
		}
		if start, found := starts.Lookup(st.changelog, p); found && start.Err == nil && start.Offset >= end.Offset {
			log.Debug("changelog is empty, nothing to restore", "end", end.Offset)
			continue
		}
		from := kgo.NewOffset().AtStart()
		if ok {
			from = kgo.NewOffset().At(cp)
		}
		n, err := th.replay(ctx, log, m.db.Restorer(name, p), st, p, from, end.Offset)
		if err != nil {
			return fmt.Errorf("restore store %q of task %s (fatal): %w", name, tk.id, err)
		}
		st.restored = end.Offset
		th.ctr.restored.Add(n)
	}
	// Start a fresh session: it must read what the restore wrote.
	m.sess.Discard()
	return tk.initProcessors()
}

// replay reads changelog partition p from `from` up to end and applies it.
func (th *thread) replay(ctx context.Context, log interface {
	Info(string, ...any)
}, r *statestore.Restorer, st *taskStore, p int32, from kgo.Offset, end int64) (int64, error) {
	rounds := &fetchRounds{}
	var isolation []kgo.Opt
	if th.txnID != "" {
		// Records of aborted (or still open) transactions are not part of the store.
		isolation = append(isolation, kgo.FetchIsolationLevel(kgo.ReadCommitted()))
	}
	cl, err := kgo.NewClient(append(append([]kgo.Opt{
		kgo.SeedBrokers(th.app.cfg.brokers...),
		kgo.ConsumePartitions(map[string]map[int32]kgo.Offset{st.changelog: {p: from}}),
		kgo.WithLogger(kgoLogger{th.log}),
		kgo.WithHooks(rounds),
		kgo.KeepControlRecords(), // transaction markers count as progress towards end
		kgo.FetchMaxWait(500 * time.Millisecond),
	}, isolation...), th.app.cfg.clientOpts...)...)
	if err != nil {
		return 0, err
	}
	defer cl.Close()
	finished := false
	defer func() {
		if !finished {
			_ = r.Finish(-1) // wait for the batch being loaded; store no checkpoint
		}
	}()
	start := time.Now()
	lastLog := start
	var n int64
	next := int64(-1)
	// Fetch responses read since the last records, as of the previous empty poll (-1: the
	// previous poll was not empty), and when the last records came.
	seen, quietRounds, lastRecords := rounds.n.Load(), int64(-1), start
	for next < end {
		pctx, cancel := context.WithTimeout(ctx, time.Second)
		fs := cl.PollFetches(pctx)
		cancel()
		if err := ctx.Err(); err != nil {
			return n, err
		}
		var ferr error
		fs.EachError(func(_ string, _ int32, err error) {
			if !errors.Is(err, context.DeadlineExceeded) {
				ferr = err
			}
		})
		if ferr != nil {
			return n, ferr
		}
		if fs.NumRecords() == 0 {
			// The records before end may be gone: a compacted tail leaves empty batches,
			// which kgo steps over without returning anything. A slow broker looks the same
			// from here, so time alone proves nothing: kgo has one fetch in flight per broker
			// and sends the next only when the previous one's records were polled, so two
			// fetch responses read since the last records (counted a poll ago, so that
			// whatever they brought is buffered by now) mean the broker had nothing more.
			if quietRounds >= 2 && time.Since(lastRecords) >= 5*time.Second {
				log.Info("changelog has no records left before its end offset", "at", next, "end", end)
				break
			}
			quietRounds = rounds.n.Load() - seen
			continue
		}
		var aerr error
		fs.EachRecord(func(rec *kgo.Record) {
			next = max(next, rec.Offset+1)
			if aerr != nil || rec.Offset >= end || rec.Attrs.IsControl() {
				return
			}
			aerr = r.Add(rec.Key, rec.Value)
			n++
		})
		if aerr != nil {
			return n, aerr
		}
		seen, quietRounds, lastRecords = rounds.n.Load(), -1, time.Now()
		if time.Since(lastLog) > 5*time.Second {
			lastLog = time.Now()
			log.Info("restoring", "restored", n, "up_to_offset", end, "rate_per_sec", int64(float64(n)/time.Since(start).Seconds()))
		}
	}
	finished = true
	if err := r.Finish(end); err != nil {
		return n, err
	}
	el := time.Since(start)
	log.Info("store restored", "records", n, "took", el.Round(time.Millisecond), "rate_per_sec", int64(float64(n)/max(el.Seconds(), 1e-9)))
	return n, nil
}

// committed returns the group's committed offset of topic partition p (0 if none).
func (th *thread) committed(ctx context.Context, adm *kadm.Client, topic string, p int32) (int64, error) {
	offs, err := adm.FetchOffsets(ctx, th.app.cfg.appID)
	if err != nil {
		return 0, err
	}
	o, ok := offs.Lookup(topic, p)
	if !ok || o.Err != nil || o.At < 0 {
		return 0, nil
	}
	return o.At, nil
}

// fetchRounds counts the fetch responses a client reads (a kgo hook).
type fetchRounds struct{ n atomic.Int64 }

func (f *fetchRounds) OnBrokerRead(_ kgo.BrokerMetadata, key int16, _ int, _, _ time.Duration, err error) {
	if key == int16(kmsg.Fetch) && err == nil {
		f.n.Add(1)
	}
}

var _ kgo.HookBrokerRead = (*fetchRounds)(nil)
