package runtime

import "time"

// SetStartGate makes a's start hold its tasks back until waitFor members of its instance
// (at least its thread count) are in the group, for at most wait. Call before Run.
func SetStartGate(a *App, waitFor int, wait time.Duration) {
	a.gate = newStartGate(max(waitFor, a.cfg.threads))
	a.gate.threads = waitFor
	a.cfg.startWait = wait
}
