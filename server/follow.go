package server

import (
	"context"
	"time"
)

// Follow runs, every interval until ctx ends, the commands other servers appended to the
// engine's command log (engine.Sync), between statements: servers sharing a cluster and a
// command topic run the same streams, tables and persistent queries (whose tasks the
// consumer groups spread over them). It returns at once when the engine keeps no log.
func (s *Server) Follow(ctx context.Context, interval time.Duration) {
	if s.eng.Commands == nil {
		return
	}
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		s.mu.Lock()
		n, errs := s.eng.Sync()
		s.mu.Unlock()
		if n > 0 {
			s.cfg.log.Info("ran statements of other servers from the command log", "statements", n)
		}
		for _, err := range errs {
			s.cfg.log.Warn("command log", "err", err)
		}
	}
}
