package runtime

import "time"

// SetStartGate makes a's start hold its tasks back until waitFor members of its instance
// (at least its thread count) are in the group, for at most wait. Call before Run.
func SetStartGate(a *App, waitFor int, wait time.Duration) {
	a.gate = newStartGate(max(waitFor, a.cfg.threads))
	a.gate.threads = waitFor
	a.cfg.startWait = wait
}

// SetIdleWaits sets how long a's tasks wait for a lagging input partition: one never
// fetched (MaxTaskIdle) and one known to lag. Call before Run.
func SetIdleWaits(a *App, never, known time.Duration) {
	a.cfg.maxTaskIdle, a.cfg.lagWait = never, known
}
