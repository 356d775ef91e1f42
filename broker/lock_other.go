//go:build !unix

package broker

import (
	"fmt"
	"os"
	"runtime"
)

// lockDir refuses to open a data directory: there is no flock here, and an
// unlocked directory can be corrupted by a second broker.
func lockDir(dir string) (*os.File, error) {
	return nil, fmt.Errorf("lock broker data dir %q: not supported on %s (use InMemory)", dir, runtime.GOOS)
}

func unlockDir(f *os.File) error { return f.Close() }
