package dsl

import "github.com/ksqlgo/ksqlgo/runtime"

// recordCache holds back table updates per key between commits, keeping the first old
// value and the latest new value of each key (Kafka Streams' caching layer). A nil cache
// forwards every update at once.
type recordCache struct {
	max   int
	order []string
	recs  map[string]runtime.Record
}

func newRecordCache(maxKeys int) *recordCache {
	if maxKeys <= 0 {
		return nil
	}
	return &recordCache{max: maxKeys, recs: map[string]runtime.Record{}}
}

// forward forwards r now (no cache) or holds it back under key.
func (c *recordCache) forward(ctx *runtime.ProcessorContext, key string, r runtime.Record) {
	if c == nil {
		ctx.Forward(r)
		return
	}
	if prev, ok := c.recs[key]; ok {
		if pc, ok1 := prev.Value.(change); ok1 {
			if nc, ok2 := r.Value.(change); ok2 {
				r.Value = change{new: nc.new, old: pc.old}
			}
		}
	} else {
		c.order = append(c.order, key)
	}
	c.recs[key] = r
	if len(c.recs) > c.max {
		c.flush(ctx)
	}
}

// flush forwards every held-back update in the order the keys were first updated.
func (c *recordCache) flush(ctx *runtime.ProcessorContext) {
	if c == nil {
		return
	}
	for _, k := range c.order {
		ctx.Forward(c.recs[k])
	}
	c.order = c.order[:0]
	clear(c.recs)
}
