package runtime

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"

	"github.com/twmb/franz-go/pkg/kgo"
)

// kgoCollector produces through a thread's franz-go client. Produce errors (franz-go
// retries retriable ones itself, so these are fatal: authorization, record too large) are
// kept and returned by the next flush. Under ExactlyOnce the client is transactional: it
// counts the records acknowledged in the open transaction, and an abort resets it.
type kgoCollector struct {
	cl       *kgo.Client
	mu       sync.Mutex
	err      error
	promise  func(*kgo.Record, error)
	produced atomic.Int64 // records acknowledged since the last resetTxn
}

func newKgoCollector(cl *kgo.Client) *kgoCollector {
	c := &kgoCollector{cl: cl}
	c.promise = c.done
	return c
}

func (c *kgoCollector) done(r *kgo.Record, err error) {
	if err == nil {
		c.produced.Add(1)
		return
	}
	c.mu.Lock()
	if c.err == nil {
		c.err = fmt.Errorf("produce to %s-%d: %w", r.Topic, r.Partition, err)
	}
	c.mu.Unlock()
}

func (c *kgoCollector) Send(r *kgo.Record) { c.cl.Produce(context.Background(), r, c.promise) }

// flush waits until every record sent so far is acknowledged (or failed).
func (c *kgoCollector) flush(ctx context.Context) error {
	if err := c.cl.Flush(ctx); err != nil {
		return fmt.Errorf("flush produced records: %w", err)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.err
}

// resetTxn forgets the produce error and count of the transaction that just ended.
func (c *kgoCollector) resetTxn() {
	c.mu.Lock()
	c.err = nil
	c.mu.Unlock()
	c.produced.Store(0)
}
