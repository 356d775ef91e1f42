package runtime

import (
	"fmt"
	"maps"
	"slices"
	"testing"

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
