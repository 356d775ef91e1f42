package dsl

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"hash/fnv"

	"github.com/ksqlgo/ksqlgo/runtime"
	"github.com/ksqlgo/ksqlgo/serde"
	"github.com/ksqlgo/ksqlgo/statestore"
)

// FKJoinTables joins each row of left with the row of right whose key is the row's
// foreign key (Kafka Streams' KTable.join(KTable, foreignKeyExtractor, joiner), KIP-213):
// the result, keyed by left's key, holds joiner(key, l, r) for every left row whose
// foreign key right holds. foreignKey returns a row's foreign key and true, or false when
// the row has none (SQL NULL; a nil pointer, slice, map or interface returned with true
// counts as none too): such a row joins nothing. Foreign keys are compared by their bytes
// under right's key serde.
//
// Updates, as in Kafka Streams 3.x:
//   - a new left row joins the right row of its foreign key, if any (no output otherwise);
//   - a changed left row joins again (a delete if the right row is absent), and stops
//     receiving the updates of its old foreign key if that changed; a left row whose
//     foreign key becomes none is deleted;
//   - a deleted left row is deleted (a delete is emitted even when no joined row existed);
//   - an update of a right row re-joins every left row currently referencing its key; a
//     deleted right row deletes them.
//
// Timestamps: an update caused by a left record has the larger of its timestamp and that
// of the right row it joins (if any); one caused by a right record has that record's.
//
// The tables need not be co-partitioned. Left rows subscribe to their foreign key through
// the internal topic "<name>-subscription-registration", keyed by the foreign key
// (written with right's key serde, so it partitions like right's topic, whose partition
// count it gets), into the store "<name>-subscription-store" beside right's store;
// right's answers go back through "<name>-subscription-response", keyed by left's key and
// written to the partition of the left row (it gets left's partition count). There each
// answer carries a hash of the left value it answers, and an answer for a left value that
// has changed since is dropped. The store "<name>-output-store" keeps, per left key, the
// left and right values of the row last emitted, to forward old values downstream. Every
// store has a changelog. left is read from its store as JoinTable reads a table; right
// needs a store keeping timestamps, so a source table (TableOf) or a table without a
// store is materialized first into "KTABLE-MATERIALIZE-<counter>-store"; both tables must
// carry their serdes.
//
// The result is computed on the fly (StoreName is ""); joining it again materializes it.
// It carries left's key serde: give it a value serde with WithSerdes. Options: Named (the
// base of the node, topic and store names, overriding "KTABLE-FK-JOIN-<counter>").
func FKJoinTables[K, V, KO, VO, VR any](left Table[K, V], right Table[KO, VO], foreignKey func(key K, value V) (KO, bool),
	joiner func(key K, left V, right VO) VR, opts ...Opt) Table[K, VR] {
	var fn func(K, V, VO, bool) VR
	if joiner != nil {
		fn = func(k K, l V, r VO, _ bool) VR { return joiner(k, l, r) }
	}
	return fkJoin(left, right, innerJoin, foreignKey, fn, opts)
}

// LeftFKJoinTables is FKJoinTables keeping every row of left: a row whose foreign key is
// none, or whose foreign key right does not hold, joins with found false and the zero
// VO, and a delete of the right row turns the joined rows back into such left-only rows.
// Options as for FKJoinTables.
func LeftFKJoinTables[K, V, KO, VO, VR any](left Table[K, V], right Table[KO, VO], foreignKey func(key K, value V) (KO, bool),
	joiner func(key K, left V, right VO, found bool) VR, opts ...Opt) Table[K, VR] {
	return fkJoin(left, right, leftJoin, foreignKey, joiner, opts)
}

// fkNames are the names of the nodes, topics and stores of one foreign-key join.
type fkNames struct {
	join, send, receive, foreign string // processors
	registration, response       string // internal topics
	subscriptions, output        string // stores
}

func newFKNames(name string) fkNames {
	return fkNames{
		join:          name,
		send:          name + "-subscription-send",
		receive:       name + "-subscription-receive",
		foreign:       name + "-foreign-update",
		registration:  name + "-subscription-registration",
		response:      name + "-subscription-response",
		subscriptions: name + "-subscription-store",
		output:        name + "-output-store",
	}
}

func fkJoin[K, V, KO, VO, VR any](left Table[K, V], right Table[KO, VO], kind joinKind,
	foreignKey func(K, V) (KO, bool), joiner func(K, V, VO, bool) VR, opts []Opt) Table[K, VR] {
	op := "fkJoin"
	if kind == leftJoin {
		op = "leftFKJoin"
	}
	b := left.builder(op)
	right.builder(op)
	cfg := configure(opts)
	name := cfg.name
	if name == "" {
		name = b.newName("KTABLE-FK-JOIN-")
	}
	names := newFKNames(name)
	// The join node (the response resolver) is made first to carry the errors; its
	// parents are linked below.
	n := b.addNamed(op, names.join, processorNode)
	b.check(n, cfg)
	if right.b != b {
		b.failf(n, "the right table is from another Builder")
		return Table[K, VR]{b: b, node: n}
	}
	if foreignKey == nil {
		b.failf(n, "nil foreign key function")
	}
	if joiner == nil {
		b.failf(n, "nil joiner")
	}
	left, lv := joinTable(left, n, false)
	right, rv := joinTable(right, n, true)
	if left.keySerde == nil || left.valueSerde == nil || right.keySerde == nil || right.valueSerde == nil {
		return Table[K, VR]{b: b, node: n, keySerde: left.keySerde} // recorded by joinTable
	}
	lks, lvs, rks, rvs := serde.Any(left.keySerde), serde.Any(left.valueSerde), serde.Any(right.keySerde), serde.Any(right.valueSerde)

	// Left side: subscriptions keyed by the foreign key, co-partitioned with right.
	send := b.addNamed(op, names.send, processorNode, left.node)
	reg := b.addInternalTopic(send, names.registration, rks, subscriptionSerde{}, 0, nil)
	regSink := send.children[0].name
	send.supplier = func() runtime.Processor {
		return &fkSender[K, V, KO]{names: names, sink: regSink, left: kind == leftJoin, foreignKey: foreignKey,
			lks: lks, lvs: lvs, rks: rks}
	}

	// Right side: subscriptions are stored and answered; right updates answer the
	// subscriptions of their key. Both write to the response topic, keyed by left's key.
	recv := b.addNamed(op, names.receive, processorNode, reg)
	recv.stores = []runtime.StoreSpec{{Name: names.subscriptions, Kind: runtime.KeyValueStore}}
	recv.connect = []string{rv.store}
	recv.copartition = []*graphNode{reg, right.node}
	recv.supplier = func() runtime.Processor { return &fkReceiver[KO, VO]{store: names.subscriptions, right: rv} }
	foreign := b.addNamed(op, names.foreign, processorNode, right.node)
	foreign.connect = []string{names.subscriptions}
	foreign.supplier = func() runtime.Processor { return &fkForeign[KO]{store: names.subscriptions, ks: right.keySerde} }
	resp := b.addInternalTopic(recv, names.response, nil, responseSerde{vs: rvs}, 0, responsePartition)
	respSink := recv.children[0]
	respSink.parents = append(respSink.parents, foreign)
	foreign.children = append(foreign.children, respSink)
	resp.source.Key = lks

	// Left side again: answers for the left value they were asked for are joined.
	n.parents = []*graphNode{resp, send}
	resp.children = append(resp.children, n)
	send.children = append(send.children, n)
	n.stores = []runtime.StoreSpec{{Name: names.output, Kind: runtime.KeyValueStore}}
	n.connect = []string{lv.store}
	n.copartition = []*graphNode{resp, left.node}
	n.supplier = func() runtime.Processor {
		return &fkResolver[K, V, VO, VR]{names: names, left: lv, inner: kind == innerJoin, joiner: joiner, lks: lks, lvs: lvs, rvs: rvs}
	}
	return Table[K, VR]{b: b, node: n, keySerde: left.keySerde}
}

// Subscription instructions, Kafka Streams' SubscriptionWrapper.Instruction.
const (
	// subDelete removes the subscription and answers nothing (the left row moved to
	// another foreign key, which answers).
	subDelete byte = iota
	// subDeleteAndAnswer removes the subscription and answers with no right value (the
	// left row was deleted or lost its foreign key, in an inner join).
	subDeleteAndAnswer
	// subAnswer stores the subscription and answers with the right value or none.
	subAnswer
	// subAnswerIfFound stores the subscription and answers only if the right row exists
	// (a new left row of an inner join: no joined row to delete).
	subAnswerIfFound
)

// fkSubscription is the value of a subscription record: the instruction, the hash of the
// left value (nil when the left row was deleted), the partition of the left row and its
// serialized key.
type fkSubscription struct {
	instr     byte
	hash      []byte
	partition int32
	key       []byte
}

// fkResponse is the value of a response record: the hash of the left value it answers
// and the right value (nil: none). partition, the left row's partition, is not written:
// the response sink's partitioner uses it.
type fkResponse struct {
	hash      []byte
	value     any
	partition int32
}

// responsePartition sends each response to the partition of the left row it answers.
func responsePartition(_ string, _, value any, _ []byte, n int) int {
	if r, ok := value.(fkResponse); ok && r.partition >= 0 && int(r.partition) < n {
		return int(r.partition)
	}
	return -1
}

// fkSender is Kafka Streams' SubscriptionSendProcessorSupplier: it turns each update of a
// left row into subscription instructions for its old and new foreign keys. In a left
// join a row with no foreign key is answered at once, straight to the resolver.
type fkSender[K, V, KO any] struct {
	names      fkNames
	sink       string // the child writing the registration topic
	left       bool
	foreignKey func(K, V) (KO, bool)
	lks, lvs   serde.Serde[any]
	rks        serde.Serde[any]
	ctx        *runtime.ProcessorContext
}

var _ runtime.Processor = (*fkSender[int, int, int])(nil)

func (p *fkSender[K, V, KO]) Init(ctx *runtime.ProcessorContext) error { p.ctx = ctx; return nil }
func (p *fkSender[K, V, KO]) Close() error                             { return nil }

// fk returns the foreign key of left value x (nil if x is nil or has none) and its bytes.
func (p *fkSender[K, V, KO]) fk(k K, x any) (any, []byte, error) {
	if x == nil {
		return nil, nil, nil
	}
	v, err := fromAny[V](x)
	if err != nil {
		return nil, nil, fmt.Errorf("value: %w", err)
	}
	ko, ok := p.foreignKey(k, v)
	if !ok {
		return nil, nil, nil
	}
	fk := toAny(ko)
	if fk == nil {
		return nil, nil, nil
	}
	b, err := p.rks.Serialize(p.names.registration, fk)
	if err != nil || b == nil {
		return nil, nil, err
	}
	return fk, b, nil
}

func (p *fkSender[K, V, KO]) Process(r runtime.Record) error {
	ch, ok := r.Value.(change)
	if !ok {
		return fmt.Errorf("table record value is %T, not a change", r.Value)
	}
	k, err := fromAny[K](r.Key)
	if err != nil {
		return fmt.Errorf("key: %w", err)
	}
	newFK, newB, err := p.fk(k, ch.new)
	if err != nil {
		return fmt.Errorf("foreign key of the new value: %w", err)
	}
	oldFK, oldB, err := p.fk(k, ch.old)
	if err != nil {
		return fmt.Errorf("foreign key of the old value: %w", err)
	}
	hash, err := valueHash(p.lvs, p.names.registration, ch.new)
	if err != nil {
		return fmt.Errorf("serialize value: %w", err)
	}
	kb, err := p.lks.Serialize(p.names.response, r.Key)
	if err != nil {
		return fmt.Errorf("serialize key: %w", err)
	}
	send := func(fk any, instr byte) {
		sub := r
		sub.Key = fk
		sub.Value = fkSubscription{instr: instr, hash: hash, partition: p.ctx.TaskID().Partition, key: kb}
		p.ctx.ForwardTo(p.sink, sub)
	}
	moved := oldFK != nil && !bytes.Equal(oldB, newB)
	switch {
	case p.left:
		if moved {
			send(oldFK, subDelete)
		}
		if newFK != nil {
			send(newFK, subAnswer)
		} else if ch.new != nil || ch.old != nil {
			// No foreign key (or a delete): the answer is "no right row", at once.
			resp := r
			resp.Value = fkResponse{hash: hash}
			p.ctx.ForwardTo(p.names.join, resp)
		}
	case ch.old == nil:
		if newFK != nil {
			send(newFK, subAnswerIfFound)
		}
	case newFK == nil:
		if oldFK != nil {
			send(oldFK, subDeleteAndAnswer)
		}
	default:
		if moved {
			send(oldFK, subDelete)
		}
		send(newFK, subAnswer)
	}
	return nil
}

// valueHash is the hash of value x serialized by vs (nil for nil): Kafka Streams sends
// such a hash with each subscription so that answers for outdated left values can be
// told apart.
func valueHash(vs serde.Serde[any], topic string, x any) ([]byte, error) {
	if x == nil {
		return nil, nil
	}
	b, err := vs.Serialize(topic, x)
	if err != nil {
		return nil, err
	}
	h := fnv.New128a()
	h.Write(b)
	return h.Sum(nil), nil
}

// subscriptionKey is the subscription store's key: the foreign key's length as a uvarint,
// the foreign key, then the left key, so that a prefix scan finds the subscriptions of one
// foreign key.
func subscriptionKey(fk, key []byte) []byte {
	out := binary.AppendUvarint(make([]byte, 0, binary.MaxVarintLen64+len(fk)+len(key)), uint64(len(fk)))
	return append(append(out, fk...), key...)
}

// fkReceiver is Kafka Streams' SubscriptionReceiveProcessorSupplier and
// SubscriptionJoinProcessorSupplier: it stores or removes each subscription and answers
// it with the right row of its foreign key.
type fkReceiver[KO, VO any] struct {
	store string
	right tableView[KO, VO]
	ctx   *runtime.ProcessorContext
	kv    *statestore.KeyValue
	rkv   *statestore.KeyValue
}

var _ runtime.Processor = (*fkReceiver[int, int])(nil)

func (p *fkReceiver[KO, VO]) Init(ctx *runtime.ProcessorContext) error {
	p.ctx, p.kv, p.rkv = ctx, ctx.KeyValueStore(p.store), ctx.KeyValueStore(p.right.store)
	if p.kv == nil || p.rkv == nil {
		return fmt.Errorf("store %q or %q is not connected", p.store, p.right.store)
	}
	return nil
}

func (p *fkReceiver[KO, VO]) Close() error { return nil }

func (p *fkReceiver[KO, VO]) Process(r runtime.Record) error {
	sub, ok := r.Value.(fkSubscription)
	if !ok {
		return fmt.Errorf("subscription value is %T, not a subscription", r.Value)
	}
	if r.Key == nil {
		p.ctx.Drop("null foreign key in subscription to " + p.right.store)
		return nil
	}
	fk, err := fromAny[KO](r.Key)
	if err != nil {
		return fmt.Errorf("key: %w", err)
	}
	fkb, err := p.right.ks.Serialize(p.store, fk)
	if err != nil {
		return fmt.Errorf("store %q: serialize key: %w", p.store, err)
	}
	key := subscriptionKey(fkb, sub.key)
	switch sub.instr {
	case subDelete:
		return p.kv.Delete(key, r.Timestamp)
	case subDeleteAndAnswer:
		err = p.kv.Delete(key, r.Timestamp)
	case subAnswer, subAnswerIfFound:
		err = p.kv.Put(key, encodeSubscription(sub), r.Timestamp)
	default:
		return fmt.Errorf("unknown subscription instruction %d", sub.instr)
	}
	if err != nil {
		return err
	}
	vo, ts, found, err := p.right.get(p.rkv, fk)
	if err != nil {
		return err
	}
	if !found && sub.instr == subAnswerIfFound {
		return nil
	}
	resp := fkResponse{hash: sub.hash, partition: sub.partition}
	if found {
		r.Timestamp = max(r.Timestamp, ts)
		if sub.instr != subDeleteAndAnswer {
			resp.value = toAny(vo)
		}
	}
	r.Key, r.Value = sub.key, resp
	p.ctx.Forward(r)
	return nil
}

// encodeSubscription is the subscription store's value: the left row's partition (4
// bytes, big endian), then the hash of its value.
func encodeSubscription(sub fkSubscription) []byte {
	return append(binary.BigEndian.AppendUint32(nil, uint32(sub.partition)), sub.hash...)
}

// fkForeign is Kafka Streams' ForeignTableJoinProcessorSupplier: an update of a right
// row answers every subscription to its key with the new value (nil on a delete).
type fkForeign[KO any] struct {
	store string
	ks    serde.Serde[KO]
	ctx   *runtime.ProcessorContext
	kv    *statestore.KeyValue
}

var _ runtime.Processor = (*fkForeign[int])(nil)

func (p *fkForeign[KO]) Init(ctx *runtime.ProcessorContext) error {
	p.ctx, p.kv = ctx, ctx.KeyValueStore(p.store)
	if p.kv == nil {
		return fmt.Errorf("store %q is not connected", p.store)
	}
	return nil
}

func (p *fkForeign[KO]) Close() error { return nil }

func (p *fkForeign[KO]) Process(r runtime.Record) error {
	ch, ok := r.Value.(change)
	if !ok {
		return fmt.Errorf("table record value is %T, not a change", r.Value)
	}
	if r.Key == nil || ch.new == nil && ch.old == nil {
		return nil
	}
	fk, err := fromAny[KO](r.Key)
	if err != nil {
		return fmt.Errorf("key: %w", err)
	}
	fkb, err := p.ks.Serialize(p.store, fk)
	if err != nil {
		return fmt.Errorf("store %q: serialize key: %w", p.store, err)
	}
	prefix := subscriptionKey(fkb, nil)
	type answer struct {
		key []byte
		sub []byte
	}
	var answers []answer
	err = p.kv.Prefix(prefix, func(k, v []byte) bool {
		answers = append(answers, answer{key: bytes.Clone(k[len(prefix):]), sub: bytes.Clone(v)})
		return true
	})
	if err != nil {
		return err
	}
	for _, a := range answers {
		if len(a.sub) < 4 {
			return fmt.Errorf("store %q: corrupt subscription of %d bytes", p.store, len(a.sub))
		}
		out := r
		out.Key = a.key
		out.Value = fkResponse{hash: a.sub[4:], value: ch.new, partition: int32(binary.BigEndian.Uint32(a.sub))}
		p.ctx.Forward(out)
	}
	return nil
}

// fkResolver is Kafka Streams' ResponseJoinProcessorSupplier: it joins each answer with
// the current left row, unless that row changed since the answer was asked for, and
// forwards the joined row (with the row it replaces, from the output store).
type fkResolver[K, V, VO, VR any] struct {
	names  fkNames
	left   tableView[K, V]
	inner  bool
	joiner func(K, V, VO, bool) VR
	lks    serde.Serde[any]
	lvs    serde.Serde[any]
	rvs    serde.Serde[any]
	ctx    *runtime.ProcessorContext
	lkv    *statestore.KeyValue
	out    *statestore.KeyValue
}

var _ runtime.Processor = (*fkResolver[int, int, int, int])(nil)

func (p *fkResolver[K, V, VO, VR]) Init(ctx *runtime.ProcessorContext) error {
	p.ctx, p.lkv, p.out = ctx, ctx.KeyValueStore(p.left.store), ctx.KeyValueStore(p.names.output)
	if p.lkv == nil || p.out == nil {
		return fmt.Errorf("store %q or %q is not connected", p.left.store, p.names.output)
	}
	return nil
}

func (p *fkResolver[K, V, VO, VR]) Close() error { return nil }

func (p *fkResolver[K, V, VO, VR]) Process(r runtime.Record) error {
	resp, ok := r.Value.(fkResponse)
	if !ok {
		return fmt.Errorf("subscription response value is %T, not a response", r.Value)
	}
	if r.Key == nil {
		p.ctx.Drop("null key in subscription response of " + p.names.join)
		return nil
	}
	k, err := fromAny[K](r.Key)
	if err != nil {
		return fmt.Errorf("key: %w", err)
	}
	lval, _, found, err := p.left.get(p.lkv, k)
	if err != nil {
		return err
	}
	var hash []byte
	if found {
		if hash, err = valueHash(p.lvs, p.names.registration, toAny(lval)); err != nil {
			return fmt.Errorf("serialize value: %w", err)
		}
	}
	if !bytes.Equal(hash, resp.hash) {
		return nil // an answer for a left value that has changed since
	}
	kb, err := p.lks.Serialize(p.names.output, r.Key)
	if err != nil {
		return fmt.Errorf("store %q: serialize key: %w", p.names.output, err)
	}
	var out change
	if out.old, err = p.previous(k, kb); err != nil {
		return err
	}
	if !found || resp.value == nil && p.inner {
		err = p.out.Delete(kb, r.Timestamp)
	} else {
		var vo VO
		if vo, err = fromAny[VO](resp.value); err != nil {
			return fmt.Errorf("right value: %w", err)
		}
		out.new = toAny(p.joiner(k, lval, vo, resp.value != nil))
		var row []byte
		if row, err = p.encodeRow(toAny(lval), resp.value); err != nil {
			return err
		}
		err = p.out.Put(kb, row, r.Timestamp)
	}
	if err != nil {
		return err
	}
	r.Value = out
	p.ctx.Forward(r)
	return nil
}

// encodeRow is the output store's value: the left value and the right value last joined,
// as a list of one or two values (appendValue).
func (p *fkResolver[K, V, VO, VR]) encodeRow(l, r any) ([]byte, error) {
	lb, err := p.lvs.Serialize(p.names.output, l)
	if err != nil {
		return nil, fmt.Errorf("store %q: serialize left value: %w", p.names.output, err)
	}
	row := appendValue(nil, lb)
	if r != nil {
		rb, err := p.rvs.Serialize(p.names.output, r)
		if err != nil {
			return nil, fmt.Errorf("store %q: serialize right value: %w", p.names.output, err)
		}
		row = appendValue(row, rb)
	}
	return row, nil
}

// previous returns the joined row last emitted for k (nil if none), joined again from the
// values the output store keeps, as Kafka Streams' joins compute old values.
func (p *fkResolver[K, V, VO, VR]) previous(k K, kb []byte) (any, error) {
	row, err := p.out.Get(kb)
	if err != nil || row == nil {
		return nil, err
	}
	var vals [][]byte
	if err := eachValue(row, func(v []byte) error { vals = append(vals, v); return nil }); err != nil || len(vals) == 0 || len(vals) > 2 {
		return nil, fmt.Errorf("store %q: corrupt row", p.names.output)
	}
	l, err := p.lvs.Deserialize(p.names.output, vals[0])
	if err != nil {
		return nil, fmt.Errorf("store %q: stored left value: %w", p.names.output, err)
	}
	lval, err := fromAny[V](l)
	if err != nil {
		return nil, fmt.Errorf("store %q: stored left value: %w", p.names.output, err)
	}
	var vo VO
	if len(vals) == 2 {
		r, err := p.rvs.Deserialize(p.names.output, vals[1])
		if err != nil {
			return nil, fmt.Errorf("store %q: stored right value: %w", p.names.output, err)
		}
		if vo, err = fromAny[VO](r); err != nil {
			return nil, fmt.Errorf("store %q: stored right value: %w", p.names.output, err)
		}
	}
	return toAny(p.joiner(k, lval, vo, len(vals) == 2)), nil
}
