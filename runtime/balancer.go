package runtime

import (
	"cmp"
	"fmt"
	"maps"
	"slices"

	"github.com/twmb/franz-go/pkg/kgo"
	"github.com/twmb/franz-go/pkg/kmsg"
)

// taskBalancer is the consumer-group balancer of an application: it assigns whole tasks
// (partition p of every source topic of a subtopology together), keeps tasks where they are
// across rebalances (sticky) as long as that keeps the group balanced, spreads the rest over
// the least-loaded members, and rebalances cooperatively (kgo's AdjustCooperative holds back
// a moving task until its previous owner has revoked it).
//
// Every member is one stream thread; members of one instance are balanced like members of
// different instances, which balances instances when they run the same number of threads.
// An instance that is starting and has fewer members than it waits for is held back (see
// startGate): its members keep what they own but get nothing new, and their assignments
// carry heldMarker.
type taskBalancer struct {
	instance string
	endpoint string
	subOf    map[string]int   // resolved source topic -> subtopology id
	topics   map[int][]string // subtopology id -> resolved source topics (sorted)

	// Member side: waitFor is announced in the join metadata, synced learns whether the
	// assignment received was held back. nil in tests that only balance.
	waitFor func() int
	synced  func(held bool)
}

var _ kgo.GroupBalancer = (*taskBalancer)(nil)

const balancerProtocol = "ksqlgo-tasks-v1"

func (b *taskBalancer) ProtocolName() string { return balancerProtocol }
func (b *taskBalancer) IsCooperative() bool  { return true }

func (b *taskBalancer) JoinGroupMetadata(interests []string, current map[string][]int32, generation int32) []byte {
	meta := kmsg.NewConsumerMemberMetadata()
	meta.Version = 3
	meta.Topics = interests
	meta.Generation = generation
	info := memberInfo{instance: b.instance, endpoint: b.endpoint}
	if b.waitFor != nil {
		info.waitFor = b.waitFor()
	}
	meta.UserData = info.encode()
	for _, topic := range slices.Sorted(maps.Keys(current)) {
		owned := kmsg.NewConsumerMemberMetadataOwnedPartition()
		owned.Topic = topic
		owned.Partitions = current[topic]
		meta.OwnedPartitions = append(meta.OwnedPartitions, owned)
	}
	return meta.AppendTo(nil)
}

func (b *taskBalancer) ParseSyncAssignment(assignment []byte) (map[string][]int32, error) {
	var a kmsg.ConsumerMemberAssignment
	if err := a.ReadFrom(assignment); err != nil {
		return nil, fmt.Errorf("parse sync assignment: %w", err)
	}
	if b.synced != nil {
		b.synced(string(a.UserData) == heldMarker)
	}
	m := make(map[string][]int32, len(a.Topics))
	for _, t := range a.Topics {
		m[t.Topic] = t.Partitions
	}
	return m, nil
}

func (b *taskBalancer) MemberBalancer(members []kmsg.JoinGroupResponseMember) (kgo.GroupMemberBalancer, map[string]struct{}, error) {
	cb, err := kgo.NewConsumerBalancer(b, members)
	if err != nil {
		return nil, nil, err
	}
	return cb, cb.MemberTopics(), nil
}

// member is one group member while the leader balances.
type member struct {
	m        *kmsg.JoinGroupResponseMember
	instance string
	owned    []TaskID
	tasks    []TaskID
}

// Balance implements kgo.ConsumerBalancerBalance.
func (b *taskBalancer) Balance(cb *kgo.ConsumerBalancer, partitions map[string]int32) kgo.IntoSyncAssignment {
	// All tasks, from the partition counts the leader knows.
	var all []TaskID
	for _, sub := range slices.Sorted(maps.Keys(b.topics)) {
		var n int32
		for _, topic := range b.topics[sub] {
			n = max(n, partitions[topic])
		}
		for p := range n {
			all = append(all, TaskID{Subtopology: sub, Partition: p})
		}
	}
	exists := make(map[TaskID]bool, len(all))
	for _, id := range all {
		exists[id] = true
	}
	var members []*member
	type instance struct{ members, waitFor int }
	instances := map[string]*instance{}
	cb.EachMember(func(m *kmsg.JoinGroupResponseMember, meta *kmsg.ConsumerMemberMetadata) {
		info := parseMemberInfo(meta.UserData)
		in := instances[info.instance]
		if in == nil {
			in = &instance{}
			instances[info.instance] = in
		}
		in.members++
		in.waitFor = max(in.waitFor, info.waitFor)
		mb := &member{m: m, instance: info.instance}
		seen := map[TaskID]bool{}
		for _, o := range meta.OwnedPartitions {
			sub, ok := b.subOf[o.Topic]
			if !ok {
				continue
			}
			for _, p := range o.Partitions {
				id := TaskID{Subtopology: sub, Partition: p}
				if exists[id] && !seen[id] {
					seen[id] = true
					mb.owned = append(mb.owned, id)
				}
			}
		}
		slices.SortFunc(mb.owned, compareTasks)
		members = append(members, mb)
	})
	if len(members) == 0 {
		return cb.NewPlan()
	}
	// Held-back members keep what they own (normally nothing: their instance is starting)
	// and take no part in the balance.
	var active []*member
	held := map[string]bool{}
	assigned := map[TaskID]bool{}
	for _, mb := range members {
		in := instances[mb.instance]
		if in.members >= in.waitFor {
			active = append(active, mb)
			continue
		}
		held[mb.m.MemberID] = true
		for _, id := range mb.owned {
			if !assigned[id] {
				assigned[id] = true
				mb.tasks = append(mb.tasks, id)
			}
		}
	}
	if len(active) == 0 {
		return b.plan(cb, members, partitions, held)
	}
	n := len(all) - len(assigned)
	floor := n / len(active)
	extra := n % len(active) // members that may hold floor+1
	// Sticky pass: keep up to floor owned tasks each, then one more while extra slots last.
	for _, mb := range active {
		for _, id := range mb.owned {
			if len(mb.tasks) == floor {
				break
			}
			if !assigned[id] {
				assigned[id] = true
				mb.tasks = append(mb.tasks, id)
			}
		}
	}
	for _, mb := range active {
		if extra == 0 {
			break
		}
		for _, id := range mb.owned {
			if !assigned[id] && len(mb.tasks) == floor {
				assigned[id] = true
				mb.tasks = append(mb.tasks, id)
				extra--
				break
			}
		}
	}
	// The rest to the least-loaded member, preferring members with fewer tasks of the same
	// subtopology so that each subtopology spreads too.
	for _, id := range all {
		if assigned[id] {
			continue
		}
		best := active[0]
		for _, mb := range active[1:] {
			if c := cmp.Compare(len(mb.tasks), len(best.tasks)); c < 0 ||
				c == 0 && countSub(mb.tasks, id.Subtopology) < countSub(best.tasks, id.Subtopology) {
				best = mb
			}
		}
		assigned[id] = true
		best.tasks = append(best.tasks, id)
	}
	return b.plan(cb, members, partitions, held)
}

// plan turns the members' tasks into partitions, holds back what moves (cooperative), and
// marks the assignments of held-back members.
func (b *taskBalancer) plan(cb *kgo.ConsumerBalancer, members []*member, partitions map[string]int32, held map[string]bool) kgo.IntoSyncAssignment {
	plan := cb.NewPlan()
	for _, mb := range members {
		for _, id := range mb.tasks {
			for _, topic := range b.topics[id.Subtopology] {
				if id.Partition < partitions[topic] {
					plan.AddPartition(mb.m, topic, id.Partition)
				}
			}
		}
	}
	plan.AdjustCooperative(cb)
	if len(held) == 0 {
		return plan
	}
	return &heldPlan{BalancePlan: plan, held: held}
}

// heldPlan is a plan whose held-back members' assignments carry heldMarker.
type heldPlan struct {
	*kgo.BalancePlan
	held map[string]bool // member ids
}

func (p *heldPlan) IntoSyncAssignment() []kmsg.SyncGroupRequestGroupAssignment {
	out := p.BalancePlan.IntoSyncAssignment()
	for i := range out {
		if !p.held[out[i].MemberID] {
			continue
		}
		var a kmsg.ConsumerMemberAssignment
		if err := a.ReadFrom(out[i].MemberAssignment); err != nil {
			panic(fmt.Sprintf("balancer: re-read own assignment: %v", err)) // we just encoded it
		}
		a.UserData = []byte(heldMarker)
		out[i].MemberAssignment = a.AppendTo(nil)
	}
	return out
}

func countSub(ids []TaskID, sub int) int {
	n := 0
	for _, id := range ids {
		if id.Subtopology == sub {
			n++
		}
	}
	return n
}

func compareTasks(a, b TaskID) int {
	if c := cmp.Compare(a.Subtopology, b.Subtopology); c != 0 {
		return c
	}
	return cmp.Compare(a.Partition, b.Partition)
}
