package runtime

import (
	"strconv"
	"strings"
	"sync"
	"time"
)

// The threads of a starting App join the consumer group one after the other. A broker
// without an initial rebalance delay (kfake; Kafka's group.initial.rebalance.delay.ms is
// 3s) completes the first rebalance with the first thread alone, which then runs every task
// until cooperative rebalances spread them (two rounds, each waiting for a heartbeat), and
// the tasks that move restore their stores again elsewhere.
//
// The startGate avoids that. While an App starts, its members announce its thread count
// (memberInfo.waitFor), and the group leader's balancer holds back tasks from an instance
// with fewer members than that: its members get no new tasks and an assignment marked as
// held back. A held-back thread rejoins as soon as all its sibling threads are joining the
// group (they have a member id), so that the rebalance including them all follows at once
// instead of a heartbeat later; it rejoins at most once per assignment received, so the
// rejoins follow the pace of the group's round trips. The App has started when one of its
// threads receives an assignment that is not held back; from then on, and in any case
// after startWait (a thread that never joins cannot stall the group), its members announce
// nothing to wait for, and held-back threads rejoin to get their tasks. After the start,
// nothing is ever held back: a member that rejoins later does not stop its siblings.

// startWait bounds how long a starting App's tasks are held back for its threads to join.
const startWait = 3 * time.Second

// startPoll bounds the polls of a starting App's threads, so that a held-back thread soon
// notices its assignment and its siblings.
const startPoll = 5 * time.Millisecond

// startGate is the App's side of the hold-back: whether it still waits for its threads,
// and which threads' last assignments were held back. Safe for concurrent use (the
// balancer callbacks run on the clients' goroutines, the checks on the threads').
type startGate struct {
	threads int

	mu       sync.Mutex
	deadline time.Time // zero until start
	started  bool      // a thread received an assignment that was not held back
	held     []bool    // per thread: the last assignment received was held back
	syncs    []uint64  // per thread: assignments received
}

func newStartGate(threads int) *startGate {
	return &startGate{threads: threads, held: make([]bool, threads), syncs: make([]uint64, threads)}
}

// start sets the deadline; called just before the threads' clients are created.
func (g *startGate) start(now time.Time, wait time.Duration) {
	g.mu.Lock()
	g.deadline = now.Add(wait)
	g.mu.Unlock()
}

// waitFor returns the number of members the leader should wait for before it assigns
// tasks to this instance: the thread count while starting, 0 once started or past the
// deadline (and always 0 for a single thread, which has nobody to wait for).
func (g *startGate) waitFor(now time.Time) int {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.threads < 2 || g.started || !now.Before(g.deadline) {
		return 0
	}
	return g.threads
}

// synced records the assignment thread idx received.
func (g *startGate) synced(idx int, held bool) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.held[idx] = held
	g.syncs[idx]++
	if !held {
		g.started = true
	}
}

// heldBack reports whether thread idx's last assignment was held back, which assignment
// (counting from 1) that was, and whether the deadline has passed.
func (g *startGate) heldBack(idx int, now time.Time) (held bool, assignment uint64, expired bool) {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.held[idx], g.syncs[idx], !now.Before(g.deadline)
}

// memberInfo is what a member announces in the group (the user data of its JoinGroup
// metadata): "<instance>|<endpoint>|<waitFor>". waitFor is the number of members of the
// instance the leader waits for before assigning it tasks (0: none); older members
// announced only "<instance>|<endpoint>".
type memberInfo struct {
	instance string
	endpoint string
	waitFor  int
}

func (m memberInfo) encode() []byte {
	return []byte(m.instance + "|" + m.endpoint + "|" + strconv.Itoa(m.waitFor))
}

func parseMemberInfo(b []byte) memberInfo {
	var m memberInfo
	var rest, wait string
	m.instance, rest, _ = strings.Cut(string(b), "|")
	if i := strings.LastIndexByte(rest, '|'); i >= 0 {
		rest, wait = rest[:i], rest[i+1:]
	}
	m.endpoint = rest
	m.waitFor, _ = strconv.Atoi(wait)
	return m
}

// heldMarker is the user data of an assignment that holds the member's tasks back.
const heldMarker = "held-back"
