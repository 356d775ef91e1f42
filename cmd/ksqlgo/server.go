package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/spf13/cobra"

	"github.com/ksqlgo/ksqlgo/server"
)

func (a *app) serverCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "server",
		Short: "Serve ksqlDB's REST API (/ksql, /query, /query-stream, /info, ...) until interrupted",
		Long: `Serve ksqlDB's REST API on listeners (default http://127.0.0.1:8088), so that the
ksql CLI, ksqlDB's Java and Go clients and curl can use ksqlgo. Statements run on the
embedded broker, or on bootstrap.servers when set, as in the shell. SIGINT or SIGTERM
stops the push queries, the persistent queries and the broker, then exits.

The statements that define streams, tables, types and persistent queries are kept in
the command topic (_ksqlgo_default__command_topic) and run again at start, so a restarted
server gets them back and its queries resume where they stopped.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			c, err := a.loadConfig()
			if err != nil {
				return err
			}
			addrs, err := listenAddrs(c.Listeners)
			if err != nil {
				return err
			}
			return a.withCluster(cmd.Context(), func(ctx context.Context, s *session) error {
				s.useCommandTopic()
				return a.serve(ctx, s, addrs)
			})
		},
	}
}

// serve runs the REST API on every address until ctx ends.
func (a *app) serve(ctx context.Context, s *session, addrs []string) error {
	srv, err := server.New(s.eng, s.brokers, server.Logger(s.runner.Log.With("component", "server")),
		server.Version(versionString()))
	if err != nil {
		return err
	}
	var lns []net.Listener
	for _, addr := range addrs {
		ln, err := net.Listen("tcp", addr)
		if err != nil {
			for _, l := range lns {
				l.Close()
			}
			return fmt.Errorf("listeners: %w", err)
		}
		lns = append(lns, ln)
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	errs := make([]error, len(lns))
	var wg sync.WaitGroup
	wg.Go(func() { srv.Follow(ctx, time.Second) }) // statements of other servers on the cluster
	for i, ln := range lns {
		fmt.Fprintf(a.stdout, "ksqlDB REST API listening on http://%s\n", ln.Addr())
		wg.Go(func() {
			errs[i] = srv.Serve(ctx, ln)
			cancel() // one listener failing stops them all
		})
	}
	wg.Wait()
	s.runner.Log.Info("server stopped; stopping queries")
	return errors.Join(errs...)
}

// listenAddrs parses listeners, "http://host:port[,...]", into host:port addresses.
func listenAddrs(listeners string) ([]string, error) {
	var out []string
	for l := range strings.SplitSeq(listeners, ",") {
		l = strings.TrimSpace(l)
		u, err := url.Parse(l)
		if err != nil || u.Scheme != "http" || u.Host == "" || u.Port() == "" || (u.Path != "" && u.Path != "/") {
			return nil, fmt.Errorf("listener %q: want http://host:port (https is not supported)", l)
		}
		out = append(out, u.Host)
	}
	return out, nil
}
