package dsl

import (
	"fmt"
	"time"
)

// JoinWindows says which records of two streams JoinStreams pairs (Kafka Streams'
// JoinWindows): a record of the left stream at ts joins every record of the right stream
// with the same key and a timestamp in [ts-Before, ts+After]; a right record at ts joins
// the left records in [ts-After, ts+Before]. Grace is how long after a window ends its
// records still arrive: the join's stores keep records for Before + After + Grace of
// stream time, and the unmatched records of left and outer joins are emitted once their
// window has ended and Grace has passed. Durations are taken in whole
// milliseconds and must not be negative.
//
// A JoinWindows literal sets every field; JoinTimeWindows and JoinTimeWindowsWithGrace
// make symmetric windows.
type JoinWindows struct {
	Before, After, Grace time.Duration
	// EmitUnmatchedEagerly is the behaviour of Kafka Streams before 3.1 (and of its
	// deprecated JoinWindows.of, which ksqlDB uses for a WITHIN without GRACE PERIOD): a
	// left (or, in an outer join, either) record that finds no match when it arrives is
	// emitted at once with the other side absent, and again for each match that arrives
	// later, instead of waiting for its window to close.
	EmitUnmatchedEagerly bool
}

// JoinTimeWindows returns windows of d before and after each record, with Kafka Streams'
// default grace period (JoinWindows.of): 24 hours minus the window size 2*d, and no less
// than zero. Unmatched records of left and outer joins are emitted only when the grace
// period has passed, so most callers want JoinTimeWindowsWithGrace.
func JoinTimeWindows(d time.Duration) JoinWindows {
	return JoinWindows{Before: d, After: d, Grace: max(24*time.Hour-2*d, 0)}
}

// JoinTimeWindowsWithGrace returns windows of d before and after each record with the
// given grace period (Kafka Streams' JoinWindows.ofTimeDifferenceAndGrace).
func JoinTimeWindowsWithGrace(d, grace time.Duration) JoinWindows {
	return JoinWindows{Before: d, After: d, Grace: grace}
}

func (w JoinWindows) validate() error {
	if w.Before < 0 || w.After < 0 || w.Grace < 0 {
		return fmt.Errorf("join windows: negative duration in before %v, after %v, grace %v", w.Before, w.After, w.Grace)
	}
	return nil
}

// joinWindowsMs is a JoinWindows in milliseconds.
type joinWindowsMs struct {
	before, after, grace int64
	eager                bool
}

func (w JoinWindows) ms() joinWindowsMs {
	return joinWindowsMs{before: w.Before.Milliseconds(), after: w.After.Milliseconds(), grace: w.Grace.Milliseconds(), eager: w.EmitUnmatchedEagerly}
}

// retention is how long the join's window stores keep records: a record at ts is needed
// until no record it can join may still arrive, when stream time passes ts + the larger
// of Before and After + Grace. One more millisecond keeps the bound itself.
func (w joinWindowsMs) retention() time.Duration {
	return time.Duration(w.before+w.after+w.grace+1) * time.Millisecond
}
