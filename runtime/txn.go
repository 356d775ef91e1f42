package runtime

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kgo"
	"github.com/twmb/franz-go/pkg/kmsg"
)

// Exactly-once (ExactlyOnce): the transactional half of thread.commit, the abort, and the
// rewind of the tasks after an abort.
//
// Each thread's client is a transactional producer (one per thread, as Kafka Streams'
// exactly_once_v2) and its group consumer, reading read_committed. A transaction is open
// at all times: it begins when the thread starts and again after every commit or abort.
// franz-go's GroupTransactSession does not fit: it commits the offsets of every record
// polled, while a task may hold polled records back (a join waiting for its other input),
// and it aborts on every revocation, while the thread commits what it owns before it lets
// a rebalance go on (BlockRebalanceOnPoll, onRevoked). So the thread sends its own
// offsets to the transaction (AddOffsetsToTxn, TxnOffsetCommit with the group generation,
// which fences a zombie member) and ends it with the client's EndTransaction.

// errTxnAborted wraps the cause of an aborted transaction: the thread rewinds its tasks to
// their last commit and carries on.
var errTxnAborted = errors.New("transaction aborted (tasks rewound to their last commit)")

// commitTxn sends offsets to the open transaction, commits it, and begins the next one.
// Called by commit, with mu held, once every record of the transaction is acknowledged.
func (th *thread) commitTxn(ctx context.Context, offsets map[string]map[int32]kgo.EpochOffset) error {
	if len(offsets) > 0 {
		if th.coll.produced.Load() == 0 {
			// Nothing was produced: the transaction holds nothing to commit the offsets
			// with (and franz-go would not end it), so they go to the group directly.
			if err := th.commitOffsets(ctx, offsets); err != nil {
				if fenced(err) {
					return th.abort(ctx, err)
				}
				return err
			}
		} else if err := th.sendOffsetsToTxn(ctx, offsets); err != nil {
			return th.abort(ctx, err)
		}
	}
	if err := th.cl.EndTransaction(ctx, kgo.TryCommit); err != nil {
		return th.abort(ctx, fmt.Errorf("commit transaction: %w", err))
	}
	th.coll.resetTxn()
	if err := th.cl.BeginTransaction(); err != nil {
		return fmt.Errorf("%w: begin transaction: %w", errFatalFlush, err)
	}
	return nil
}

// sendOffsetsToTxn adds the group's offsets to the open transaction (AddOffsetsToTxn then
// TxnOffsetCommit): they commit or abort with it. The member id and generation let the
// group coordinator refuse the offsets of a member that is no longer in the group.
func (th *thread) sendOffsetsToTxn(ctx context.Context, offsets map[string]map[int32]kgo.EpochOffset) error {
	id, epoch, err := th.cl.ProducerID(ctx)
	if err != nil {
		return fmt.Errorf("producer id: %w", err)
	}
	group := th.app.cfg.appID
	add := kmsg.NewPtrAddOffsetsToTxnRequest()
	add.TransactionalID, add.ProducerID, add.ProducerEpoch, add.Group = th.txnID, id, epoch, group
	if err := retryConcurrentTxn(ctx, func() error {
		resp, err := add.RequestWith(ctx, th.cl)
		if err != nil {
			return err
		}
		return kerr.ErrorForCode(resp.ErrorCode)
	}); err != nil {
		return fmt.Errorf("add offsets to transaction: %w", err)
	}
	ids, err := th.topicIDs(ctx, offsets)
	if err != nil {
		return err
	}
	member, gen := th.cl.GroupMetadata()
	req := kmsg.NewPtrTxnOffsetCommitRequest()
	req.TransactionalID, req.Group, req.ProducerID, req.ProducerEpoch = th.txnID, group, id, epoch
	req.Generation, req.MemberID = gen, member
	for topic, ps := range offsets {
		rt := kmsg.NewTxnOffsetCommitRequestTopic()
		rt.Topic, rt.TopicID = topic, ids[topic] // v6+ (KIP-1319) names topics by id
		for p, o := range ps {
			rp := kmsg.NewTxnOffsetCommitRequestTopicPartition()
			rp.Partition, rp.Offset, rp.LeaderEpoch = p, o.Offset, o.Epoch
			rt.Partitions = append(rt.Partitions, rp)
		}
		req.Topics = append(req.Topics, rt)
	}
	return retryConcurrentTxn(ctx, func() error {
		resp, err := req.RequestWith(ctx, th.cl)
		if err != nil {
			return fmt.Errorf("commit offsets in transaction: %w", err)
		}
		var errs []error
		for _, t := range resp.Topics {
			for _, p := range t.Partitions {
				if perr := kerr.ErrorForCode(p.ErrorCode); perr != nil {
					if errors.Is(perr, kerr.UnknownTopicID) {
						clear(th.txnTopicIDs) // recreated: look the ids up again
					}
					errs = append(errs, fmt.Errorf("commit %s-%d in transaction: %w", t.Topic, p.Partition, perr))
				}
			}
		}
		return errors.Join(errs...)
	})
}

// topicIDs returns the ids of the topics of offsets, looked up once per thread.
func (th *thread) topicIDs(ctx context.Context, offsets map[string]map[int32]kgo.EpochOffset) (map[string][16]byte, error) {
	if th.txnTopicIDs == nil {
		th.txnTopicIDs = map[string][16]byte{}
	}
	var missing []string
	for topic := range offsets {
		if _, ok := th.txnTopicIDs[topic]; !ok {
			missing = append(missing, topic)
		}
	}
	if len(missing) == 0 {
		return th.txnTopicIDs, nil
	}
	topics, err := kadm.NewClient(th.cl).ListTopics(ctx, missing...)
	if err != nil {
		return nil, fmt.Errorf("topic ids: %w", err)
	}
	for _, d := range topics {
		if d.Err == nil {
			th.txnTopicIDs[d.Topic] = d.ID
		}
	}
	return th.txnTopicIDs, nil
}

// retryConcurrentTxn retries fn while the coordinator still finishes the previous
// transaction (CONCURRENT_TRANSACTIONS), for at most 10s.
func retryConcurrentTxn(ctx context.Context, fn func() error) error {
	deadline := time.Now().Add(10 * time.Second)
	for {
		err := fn()
		if !errors.Is(err, kerr.ConcurrentTransactions) || time.Now().After(deadline) {
			return err
		}
		select {
		case <-ctx.Done():
			return err
		case <-time.After(20 * time.Millisecond):
		}
	}
}

// fenced says whether err means another producer took this thread's transactional id (a
// newer incarnation of the instance) or the group fenced this member's static instance id:
// this thread is a zombie and must stop.
func fenced(err error) bool {
	return errors.Is(err, kerr.ProducerFenced) || errors.Is(err, kerr.InvalidProducerEpoch) ||
		errors.Is(err, kerr.FencedInstanceID) || errors.Is(err, kerr.TransactionalIDAuthorizationFailed)
}

// abort aborts the open transaction after cause, drops what is buffered for it, begins
// the next one and marks the tasks for a rewind (done at the next step, by the thread
// goroutine). It returns cause wrapped in errTxnAborted, or a fatal error when the
// producer is fenced or the abort fails. Called with mu held.
func (th *thread) abort(ctx context.Context, cause error) error {
	if fenced(cause) {
		return fmt.Errorf("%w: producer %s fenced, another instance runs its tasks: %w", errFatalFlush, th.txnID, cause)
	}
	th.log.Warn("aborting the transaction; the tasks restart from their last commit", "err", cause)
	th.ctr.aborts.Add(1)
	th.needRewind = true
	if err := th.cl.AbortBufferedRecords(ctx); err != nil {
		return fmt.Errorf("%w: abort buffered records: %w (after %w)", errFatalFlush, err, cause)
	}
	if err := th.cl.EndTransaction(ctx, kgo.TryAbort); err != nil {
		return fmt.Errorf("%w: abort transaction: %w (after %w)", errFatalFlush, err, cause)
	}
	th.coll.resetTxn()
	if err := th.cl.BeginTransaction(); err != nil {
		return fmt.Errorf("%w: begin transaction: %w (after %w)", errFatalFlush, err, cause)
	}
	return fmt.Errorf("%w: %w", errTxnAborted, cause)
}

// rewind replaces every task by a fresh one after an abort: processors and store sessions
// lose what they did since the last commit (the stores are back at their checkpoints, and
// their restore replays whatever the changelog committed beyond them), and the input
// partitions are fetched again from the committed offsets. It returns the partitions set
// back, whose records in the current poll predate the rewind. Called with mu held.
func (th *thread) rewind() (map[string]map[int32]bool, error) {
	th.needRewind = false
	set := map[string]map[int32]kgo.EpochOffset{}
	rewound := map[string]map[int32]bool{}
	var ids []string
	for id, old := range th.tasks {
		at := map[string]int64{}
		for _, q := range old.queues {
			if q.rewindTo < 0 {
				continue
			}
			at[q.topic] = q.rewindTo
			if set[q.topic] == nil {
				set[q.topic] = map[int32]kgo.EpochOffset{}
				rewound[q.topic] = map[int32]bool{}
			}
			set[q.topic][q.partition] = kgo.EpochOffset{Epoch: -1, Offset: q.rewindTo}
			rewound[q.topic][q.partition] = true
		}
		if err := old.close(); err != nil {
			th.log.Warn("close task", "task", id.String(), "err", err)
		}
		tk, err := th.newTask(id)
		if err != nil {
			return nil, err
		}
		for _, q := range tk.queues {
			if o, ok := at[q.topic]; ok {
				q.rewindTo = o
			}
		}
		th.tasks[id] = tk
		for _, m := range th.byTP {
			for p, t := range m {
				if t == old {
					m[p] = tk
				}
			}
		}
		ids = append(ids, id.String())
	}
	th.cl.SetOffsets(set)
	th.log.Info("tasks rewound to their last commit", "tasks", ids)
	return rewound, nil
}
