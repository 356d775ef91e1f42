//go:build unix

package broker

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
)

// lockFileName is the file inside the data directory that the broker holds
// an exclusive flock on while it runs. It holds the pid of the owner.
const lockFileName = "LOCK"

// lockDir takes an exclusive, non-blocking flock on dir/LOCK and writes the
// pid of this process into it. The kernel releases the lock when the file is
// closed or the process dies, so a crashed broker never leaves a stale lock.
// Locks are per open file, so a second lockDir in the same process fails too.
func lockDir(dir string) (*os.File, error) {
	path := filepath.Join(dir, lockFileName)
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, fmt.Errorf("open broker data dir lock %q: %w", path, err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return nil, fmt.Errorf("%w: %q is held by %s", ErrDataDirLocked, dir, holder(path))
		}
		return nil, fmt.Errorf("lock broker data dir %q: %w", dir, err)
	}
	pid := []byte(strconv.Itoa(os.Getpid()) + "\n")
	if err := f.Truncate(0); err == nil {
		_, err = f.WriteAt(pid, 0)
	}
	if err != nil {
		unlockDir(f)
		return nil, fmt.Errorf("write pid to broker data dir lock %q: %w", path, err)
	}
	return f, nil
}

// holder describes the process holding the lock at path, from the pid it
// wrote, for error messages.
func holder(path string) string {
	b, err := os.ReadFile(path)
	if err != nil {
		return "another broker"
	}
	pid, err := strconv.Atoi(strings.TrimSpace(string(b)))
	if err != nil || pid <= 0 {
		return "another broker"
	}
	if pid == os.Getpid() {
		return fmt.Sprintf("another broker in this process (pid %d)", pid)
	}
	return fmt.Sprintf("another broker (pid %d)", pid)
}

// unlockDir releases a lock taken by lockDir. The LOCK file stays: removing
// it would let a waiter lock a file that a third process then recreates.
func unlockDir(f *os.File) error {
	return errors.Join(syscall.Flock(int(f.Fd()), syscall.LOCK_UN), f.Close())
}
