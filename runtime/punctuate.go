package runtime

import "time"

// punctuator is one scheduled callback of a node of a task.
type punctuator struct {
	node      *nodeInstance
	typ       PunctuationType
	interval  int64 // ms
	next      int64 // ms: fires when the clock reaches it
	fn        Punctuator
	cancelled bool
}

func (p *punctuator) Cancel() { p.cancelled = true }

// schedule registers a punctuator. As in Kafka Streams, stream-time punctuators are aligned
// to 0 (they fire at the first record) and wall-clock ones first fire one interval from now.
func (t *task) schedule(n *nodeInstance, interval time.Duration, typ PunctuationType, fn Punctuator) Cancellable {
	ms := interval.Milliseconds()
	if ms < 1 {
		ms = 1
	}
	p := &punctuator{node: n, typ: typ, interval: ms, fn: fn}
	if typ == WallClockTime {
		p.next = t.env.now().UnixMilli() + ms
	}
	t.punctuators = append(t.punctuators, p)
	return p
}

// punctuate runs the punctuators of clock typ that are due at now (ms). Missed intervals
// are not replayed: like Kafka Streams, a punctuator fires once and its next time moves past
// now. A non-nil error is fatal.
func (t *task) punctuate(typ PunctuationType, now int64) error {
	if len(t.punctuators) == 0 || now < 0 {
		return nil
	}
	cancelled := 0
	for i := 0; i < len(t.punctuators); i++ { // punctuators may schedule more
		p := t.punctuators[i]
		if p.cancelled {
			cancelled++
			continue
		}
		if p.typ != typ || now < p.next {
			continue
		}
		next := p.next + p.interval
		if now >= next {
			next = now + p.interval
		}
		p.next = next
		t.err = nil
		// As in Kafka Streams, a punctuation has no record context.
		saved, savedRaw := t.current, t.currentRaw
		t.current, t.currentRaw = RecordMetadata{Partition: -1, Offset: -1}, nil
		if err := p.fn(now); err != nil {
			t.recordError(p.node.name, err)
		}
		t.current, t.currentRaw = saved, savedRaw
		if t.err != nil {
			err := t.err
			t.err = nil
			if ferr := t.onProcessingError(p.node.name, nil, err); ferr != nil {
				return ferr
			}
		}
	}
	if cancelled > 0 {
		live := t.punctuators[:0]
		for _, p := range t.punctuators {
			if !p.cancelled {
				live = append(live, p)
			}
		}
		clear(t.punctuators[len(live):])
		t.punctuators = live
	}
	return nil
}
