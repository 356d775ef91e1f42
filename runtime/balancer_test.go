package runtime

import (
	"fmt"
	"maps"
	"slices"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"
	"github.com/twmb/franz-go/pkg/kmsg"
)

// balance runs the balancer for members owning the given partitions of topics a and b
// (co-partitioned: subtopology 0 reads both) and c (subtopology 1).
func balance(t *testing.T, owned map[string]map[string][]int32, counts map[string]int32) map[string][]TaskID {
	t.Helper()
	b := &taskBalancer{
		subOf:  map[string]int{"a": 0, "b": 0, "c": 1},
		topics: map[int][]string{0: {"a", "b"}, 1: {"c"}},
	}
	var members []kmsg.JoinGroupResponseMember
	for _, id := range slices.Sorted(maps.Keys(owned)) {
		m := kmsg.NewJoinGroupResponseMember()
		m.MemberID = id
		m.ProtocolMetadata = b.JoinGroupMetadata([]string{"a", "b", "c"}, owned[id], 1)
		members = append(members, m)
	}
	gmb, _, err := b.MemberBalancer(members)
	if err != nil {
		t.Fatal(err)
	}
	into, err := gmb.(kgo.GroupMemberBalancerOrError).BalanceOrError(counts)
	if err != nil {
		t.Fatal(err)
	}
	plan := into.(*kgo.BalancePlan).AsMemberIDMap()
	out := map[string][]TaskID{}
	for member, topics := range plan {
		seen := map[TaskID]int{}
		for topic, ps := range topics {
			for _, p := range ps {
				seen[TaskID{Subtopology: b.subOf[topic], Partition: p}]++
			}
		}
		for id, n := range seen {
			if want := len(b.topics[id.Subtopology]); n != want {
				t.Fatalf("member %s got %d of %d partitions of task %s", member, n, want, id)
			}
			out[member] = append(out[member], id)
		}
		slices.SortFunc(out[member], compareTasks)
	}
	return out
}

func TestBalancerFreshAndSticky(t *testing.T) {
	counts := map[string]int32{"a": 4, "b": 4, "c": 2}
	fresh := balance(t, map[string]map[string][]int32{"m1": nil, "m2": nil, "m3": nil}, counts)
	total := 0
	for m, ts := range fresh {
		if len(ts) != 2 {
			t.Errorf("%s has %d tasks, want 2: %v", m, len(ts), fresh)
		}
		total += len(ts)
	}
	if total != 6 {
		t.Fatalf("assigned %d tasks, want 6", total)
	}

	// m1 keeps what it owns; a new member takes tasks only from the over-loaded.
	owned := map[string]map[string][]int32{
		"m1": {"a": {0, 1, 2}, "b": {0, 1, 2}},
		"m2": {"a": {3}, "b": {3}, "c": {0, 1}},
		"m3": nil,
	}
	got := balance(t, owned, counts)
	// Cooperative: tasks moving owner are held back this round, so m3 gets nothing yet
	// and m1 gives up one task.
	if fmt.Sprint(got["m1"]) != "[0_0 0_1]" || len(got["m3"]) != 0 || len(got["m2"]) != 2 {
		t.Fatalf("sticky cooperative round 1: %v", got)
	}
	// Round 2 (after m1 revoked 0_2 and m2 revoked one task): m3 receives the freed tasks.
	owned["m1"] = map[string][]int32{"a": {0, 1}, "b": {0, 1}}
	got2 := balance(t, owned, counts)
	if len(got2["m3"]) != 1 && len(got2["m3"]) != 2 {
		t.Fatalf("round 2: %v", got2)
	}
}

func TestBalancerUneven(t *testing.T) {
	// 9 tasks over 4 members owning 3,3,3,0: one member keeps 3, the others 2, the new one 2.
	counts := map[string]int32{"a": 9, "b": 9}
	owned := map[string]map[string][]int32{
		"m1": {"a": {0, 1, 2}, "b": {0, 1, 2}},
		"m2": {"a": {3, 4, 5}, "b": {3, 4, 5}},
		"m3": {"a": {6, 7, 8}, "b": {6, 7, 8}},
		"m4": nil,
	}
	got := balance(t, owned, counts)
	sizes := []int{len(got["m1"]), len(got["m2"]), len(got["m3"]), len(got["m4"])}
	// m4's tasks are held back in the cooperative first round.
	if fmt.Sprint(sizes) != "[3 2 2 0]" {
		t.Fatalf("sizes %v: %v", sizes, got)
	}
}

// heldMember is a member of a balance with hold-back: its instance, the number of members
// it announces its instance waits for, and what it owns.
type heldMember struct {
	instance string
	waitFor  int
	owned    map[string][]int32
}

// balanceHeld balances members (topic a, subtopology 0) and returns each member's tasks and
// whether its assignment, parsed by the member's own balancer, was marked held back.
func balanceHeld(t *testing.T, ms map[string]heldMember, partitions int32) (map[string][]TaskID, map[string]bool) {
	t.Helper()
	var members []kmsg.JoinGroupResponseMember
	for _, id := range slices.Sorted(maps.Keys(ms)) {
		hm := ms[id]
		b := &taskBalancer{instance: hm.instance, endpoint: "h:1", waitFor: func() int { return hm.waitFor }}
		m := kmsg.NewJoinGroupResponseMember()
		m.MemberID = id
		m.ProtocolMetadata = b.JoinGroupMetadata([]string{"a"}, hm.owned, 1)
		members = append(members, m)
	}
	leader := &taskBalancer{subOf: map[string]int{"a": 0}, topics: map[int][]string{0: {"a"}}}
	gmb, _, err := leader.MemberBalancer(members)
	if err != nil {
		t.Fatal(err)
	}
	into, err := gmb.(kgo.GroupMemberBalancerOrError).BalanceOrError(map[string]int32{"a": partitions})
	if err != nil {
		t.Fatal(err)
	}
	tasks, held := map[string][]TaskID{}, map[string]bool{}
	for _, sa := range into.IntoSyncAssignment() {
		var gotHeld bool
		mb := &taskBalancer{synced: func(h bool) { gotHeld = h }}
		assigned, err := mb.ParseSyncAssignment(sa.MemberAssignment)
		if err != nil {
			t.Fatal(err)
		}
		held[sa.MemberID] = gotHeld
		for _, p := range assigned["a"] {
			tasks[sa.MemberID] = append(tasks[sa.MemberID], TaskID{Partition: p})
		}
		slices.SortFunc(tasks[sa.MemberID], compareTasks)
	}
	return tasks, held
}

func TestBalancerHoldsBackStartingInstance(t *testing.T) {
	t.Run("alone and incomplete: nothing assigned, all held", func(t *testing.T) {
		tasks, held := balanceHeld(t, map[string]heldMember{
			"x1": {instance: "x", waitFor: 3},
			"x2": {instance: "x", waitFor: 3},
		}, 4)
		if len(tasks) != 0 || !held["x1"] || !held["x2"] {
			t.Fatalf("tasks %v held %v", tasks, held)
		}
	})
	t.Run("complete: balanced, none held", func(t *testing.T) {
		tasks, held := balanceHeld(t, map[string]heldMember{
			"x1": {instance: "x", waitFor: 2},
			"x2": {instance: "x", waitFor: 2},
		}, 4)
		if len(tasks["x1"]) != 2 || len(tasks["x2"]) != 2 || held["x1"] || held["x2"] {
			t.Fatalf("tasks %v held %v", tasks, held)
		}
	})
	t.Run("another instance takes everything meanwhile", func(t *testing.T) {
		tasks, held := balanceHeld(t, map[string]heldMember{
			"x1": {instance: "x", waitFor: 4},
			"y1": {instance: "y"},
			"y2": {instance: "y"},
		}, 4)
		if len(tasks["x1"]) != 0 || !held["x1"] || len(tasks["y1"]) != 2 || len(tasks["y2"]) != 2 || held["y1"] || held["y2"] {
			t.Fatalf("tasks %v held %v", tasks, held)
		}
	})
	t.Run("a held member keeps what it owns", func(t *testing.T) {
		tasks, held := balanceHeld(t, map[string]heldMember{
			"x1": {instance: "x", waitFor: 3, owned: map[string][]int32{"a": {1}}},
			"y1": {instance: "y"},
		}, 4)
		if fmt.Sprint(tasks["x1"]) != "[0_1]" || !held["x1"] || fmt.Sprint(tasks["y1"]) != "[0_0 0_2 0_3]" || held["y1"] {
			t.Fatalf("tasks %v held %v", tasks, held)
		}
	})
	t.Run("waiting announced by one member holds the instance", func(t *testing.T) {
		_, held := balanceHeld(t, map[string]heldMember{
			"x1": {instance: "x", waitFor: 0},
			"x2": {instance: "x", waitFor: 3},
		}, 4)
		if !held["x1"] || !held["x2"] {
			t.Fatalf("held %v", held)
		}
	})
}

func TestMemberInfo(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want memberInfo
	}{
		{"a|h:1|4", memberInfo{"a", "h:1", 4}},
		{"a||0", memberInfo{"a", "", 0}},
		{"a|h:1", memberInfo{"a", "h:1", 0}}, // before waitFor existed
		{"a|", memberInfo{"a", "", 0}},
		{"", memberInfo{}},
	} {
		if got := parseMemberInfo([]byte(tc.in)); got != tc.want {
			t.Errorf("parseMemberInfo(%q) = %+v, want %+v", tc.in, got, tc.want)
		}
	}
	m := memberInfo{"inst", "host:9", 2}
	if got := parseMemberInfo(m.encode()); got != m {
		t.Errorf("round trip of %+v: %+v", m, got)
	}
}

func TestStartGate(t *testing.T) {
	t0 := time.Unix(1000, 0)
	g := newStartGate(2)
	g.start(t0, time.Second)
	if n := g.waitFor(t0); n != 2 {
		t.Fatalf("starting: waitFor %d, want 2", n)
	}
	if n := g.waitFor(t0.Add(time.Second)); n != 0 {
		t.Fatalf("past the deadline: waitFor %d, want 0", n)
	}
	g.synced(0, true)
	if held, sync, expired := g.heldBack(0, t0); !held || sync != 1 || expired {
		t.Fatalf("heldBack = %v %d %v", held, sync, expired)
	}
	g.synced(1, false)
	if n := g.waitFor(t0); n != 0 {
		t.Fatalf("started: waitFor %d, want 0", n)
	}
	if one := newStartGate(1); one.waitFor(time.Time{}) != 0 {
		t.Fatal("a single thread waits for nobody")
	}
}
