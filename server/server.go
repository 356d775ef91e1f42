package server

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/ksqlgo/ksqlgo/sql/engine"
)

// Server serves ksqlDB's REST API over one engine. Create it with New, serve it with
// Serve (or mount Handler), stop it with Close. Its methods are safe for concurrent use.
type Server struct {
	cfg     cfg
	brokers []string

	// mu serialises statements on eng (Engine is not safe for concurrent use). Lock
	// order: mu before pushMu.
	mu  sync.Mutex
	eng *engine.Engine
	seq atomic.Int64 // commandSequenceNumber of the last successful command

	pushMu sync.Mutex
	pushes map[string]*pushRun // running push queries by REST query id

	closing context.Context // cancelled by Close: every push query ends
	stop    context.CancelFunc
	wg      sync.WaitGroup // push query clean-ups
	handler http.Handler
	table   map[string]route // endpoints by path (routes)
}

// New returns a server executing statements on e. brokers are the seed brokers of the
// cluster e's runner uses: push queries and PRINT read topics there. e's Runner must be
// safe for concurrent use (engine.LiveRunner is): push queries start and stop their
// transient queries outside the statement lock.
func New(e *engine.Engine, brokers []string, opts ...Opt) (*Server, error) {
	if e == nil {
		return nil, errors.New("server: nil engine")
	}
	if len(brokers) == 0 {
		return nil, errors.New("server: no brokers")
	}
	c := defaultCfg()
	for _, o := range opts {
		o.apply(&c)
	}
	if c.maxBody <= 0 {
		return nil, fmt.Errorf("server: MaxBodyBytes %d must be positive", c.maxBody)
	}
	s := &Server{cfg: c, brokers: brokers, eng: e, pushes: map[string]*pushRun{}}
	s.closing, s.stop = context.WithCancel(context.Background())
	s.handler = s.routes()
	return s, nil
}

// Handler returns the server's HTTP handler (for httptest or another http.Server).
func (s *Server) Handler() http.Handler { return s.handler }

// Serve serves HTTP/1.1 and unencrypted HTTP/2 on ln until ctx is cancelled, then shuts
// down: running push queries end, in-flight requests get up to 10s to finish. It does
// not close the engine's runner. It returns nil after a shutdown caused by ctx.
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	var protos http.Protocols
	protos.SetHTTP1(true)
	protos.SetUnencryptedHTTP2(true)
	hs := &http.Server{
		Handler:           s.handler,
		Protocols:         &protos,
		ReadHeaderTimeout: 10 * time.Second,
		BaseContext:       func(net.Listener) context.Context { return s.closing },
	}
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	select {
	case err := <-errc:
		s.Close()
		return err
	case <-ctx.Done():
	}
	s.Close() // push handlers return, so Shutdown can finish
	sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	err := hs.Shutdown(sctx)
	<-errc
	if errors.Is(err, context.DeadlineExceeded) {
		hs.Close()
	}
	return nil
}

// Close ends every running push query and waits until their transient queries are
// stopped. It is idempotent; the engine and its runner stay open.
func (s *Server) Close() error {
	s.pushMu.Lock()
	s.stop() // under pushMu: no push query registers after this (startPush)
	s.pushMu.Unlock()
	s.wg.Wait()
	return nil
}
