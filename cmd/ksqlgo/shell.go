package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync/atomic"
	"text/tabwriter"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/ksqlgo/ksqlgo/sql/engine"
	"github.com/ksqlgo/ksqlgo/sql/expr"
	"github.com/ksqlgo/ksqlgo/sql/parser"
)

// interruptHook, when set, receives Ctrl-C instead of the program: a running push query
// ends, the shell carries on.
var interruptHook atomic.Pointer[func()]

// session is a SQL session on a cluster: an engine whose queries run as runtime Apps.
type session struct {
	eng     *engine.Engine
	runner  *engine.LiveRunner
	brokers []string
	out     io.Writer
}

func newSession(brokers []string, stateDir string, out io.Writer, a *app) *session {
	r := &engine.LiveRunner{Brokers: brokers, StateDir: stateDir}
	e := engine.New(r)
	e.Now = func() int64 { return time.Now().UnixMilli() }
	return &session{eng: e, runner: r, brokers: brokers, out: out}
}

func (s *session) close() error { return s.runner.Close() }

// useCommandTopic keeps the statements that define the session's catalog and queries in
// the cluster's command topic, and runs the ones already there: a restarted shell or
// server gets back its streams, tables and persistent queries (which resume where they
// stopped). A statement that no longer runs is reported and skipped.
func (s *session) useCommandTopic() {
	topic := engine.CommandTopic(s.eng.ServiceID)
	s.eng.Commands = &engine.TopicCommandLog{Runner: s.runner, Topic: topic}
	n, errs := s.eng.Sync()
	if n > 0 {
		fmt.Fprintf(s.out, "restored %d statements from the command topic %s\n", n, topic)
	}
	for _, err := range errs {
		fmt.Fprintf(s.out, "warning: %v\n", err)
	}
}

// execScript runs every statement of text, printing results; with stopOnError it returns
// the first error, otherwise it prints errors and carries on.
func (s *session) execScript(ctx context.Context, text string, stopOnError bool) error {
	raws, err := parser.Split(text)
	if err != nil {
		if stopOnError {
			return err
		}
		fmt.Fprintln(s.out, err)
		return nil
	}
	for _, raw := range raws {
		res, err := s.eng.ExecuteRaw(raw)
		switch {
		case err != nil:
		case res.Push != nil:
			err = s.runPush(ctx, res.Push)
		case res.Print != nil:
			err = s.runPrint(ctx, res.Print)
		}
		if err != nil {
			if stopOnError {
				return err
			}
			fmt.Fprintln(s.out, err)
			continue
		}
		s.print(res)
	}
	return nil
}

func (s *session) print(r *engine.Result) {
	if r.Message != "" {
		fmt.Fprintln(s.out, r.Message)
	}
	if len(r.Columns) > 0 {
		tw := tabwriter.NewWriter(s.out, 0, 2, 1, ' ', tabwriter.Debug)
		fmt.Fprintln(tw, " "+strings.Join(r.Columns, "\t ")+"\t")
		for _, row := range r.Rows {
			fmt.Fprintln(tw, " "+strings.Join(row, "\t ")+"\t")
		}
		tw.Flush()
	}
	if r.Pull != nil && r.Pull.Final != "" {
		fmt.Fprintln(s.out, r.Pull.Final)
	}
}

// runPush runs a transient query and prints its rows until its LIMIT, Ctrl-C or ctx ends.
func (s *session) runPush(ctx context.Context, p *engine.PushQuery) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	stop := func() { cancel() }
	interruptHook.Store(&stop)
	defer interruptHook.Store(nil)
	if err := s.runner.CreateTopic(p.Query.SinkTopic, 1); err != nil {
		return err
	}
	if err := s.runner.StartQuery(p.Query); err != nil {
		return err
	}
	defer s.runner.StopQuery(p.Query)
	cl, err := kgo.NewClient(kgo.SeedBrokers(s.brokers...), kgo.ConsumeTopics(p.Query.SinkTopic),
		kgo.ConsumeResetOffset(kgo.NewOffset().AtStart()))
	if err != nil {
		return err
	}
	defer cl.Close()
	names := make([]string, len(p.Columns))
	for i, c := range p.Columns {
		names[i] = c.Name
	}
	fmt.Fprintln(s.out, "|"+strings.Join(names, "|")+"|")
	n := 0
	for {
		if p.Done(n) {
			fmt.Fprintln(s.out, engine.FinalLimitReached)
			return nil
		}
		fetches := cl.PollFetches(ctx)
		if ctx.Err() != nil {
			fmt.Fprintln(s.out, "Query terminated")
			return nil
		}
		var perr error
		fetches.EachRecord(func(r *kgo.Record) {
			if perr != nil || p.Done(n) {
				return
			}
			row, err := p.Decode(r.Value)
			if err != nil {
				perr = err
				return
			}
			if row == nil {
				return
			}
			cells := make([]string, len(row))
			for i, v := range row {
				cells[i] = expr.ToText(v)
			}
			fmt.Fprintln(s.out, "|"+strings.Join(cells, "|")+"|")
			n++
		})
		if perr != nil {
			return perr
		}
	}
}

// runPrint prints the records of a topic (PRINT) until its LIMIT, Ctrl-C or ctx ends.
func (s *session) runPrint(ctx context.Context, p *engine.PrintTopic) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	stop := func() { cancel() }
	interruptHook.Store(&stop)
	defer interruptHook.Store(nil)
	start := kgo.NewOffset().AtEnd()
	if p.FromBeginning {
		start = kgo.NewOffset().AtStart()
	}
	cl, err := kgo.NewClient(kgo.SeedBrokers(s.brokers...), kgo.ConsumeTopics(p.Topic), kgo.ConsumeResetOffset(start))
	if err != nil {
		return err
	}
	defer cl.Close()
	pr := &engine.Printer{P: p}
	for !pr.Done() {
		fetches := cl.PollFetches(ctx)
		if ctx.Err() != nil {
			fmt.Fprintln(s.out, "Query terminated")
			return nil
		}
		fetches.EachRecord(func(r *kgo.Record) {
			for _, line := range pr.Print(r.Partition, r.Timestamp.UnixMilli(), r.Key, r.Value) {
				fmt.Fprintln(s.out, line)
			}
		})
	}
	fmt.Fprintln(s.out, "Topic printing ceased")
	return nil
}

// prompt reads statements from in until EOF or ctx ends: statements end with ';' and
// may span lines; errors are printed and the prompt carries on.
func (s *session) prompt(ctx context.Context, in io.Reader) error {
	lines := make(chan string)
	go func() {
		sc := bufio.NewScanner(in)
		sc.Buffer(make([]byte, 1<<20), 1<<20)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
	}()
	var buf strings.Builder
	fmt.Fprint(s.out, "ksqlgo> ")
	for {
		select {
		case <-ctx.Done():
			return nil
		case line, ok := <-lines:
			if !ok {
				return nil
			}
			buf.WriteString(line)
			buf.WriteString("\n")
			text := strings.TrimSpace(buf.String())
			if text == "" {
				buf.Reset()
				fmt.Fprint(s.out, "ksqlgo> ")
				continue
			}
			if !complete(text) {
				fmt.Fprint(s.out, "      > ")
				continue
			}
			if strings.EqualFold(strings.TrimSuffix(text, ";"), "exit") || strings.EqualFold(strings.TrimSuffix(text, ";"), "quit") {
				return errQuit
			}
			if err := s.execScript(ctx, buf.String(), false); err != nil {
				fmt.Fprintln(s.out, err)
			}
			buf.Reset()
			fmt.Fprint(s.out, "ksqlgo> ")
		}
	}
}

var errQuit = errors.New("quit")

// complete says whether text ends a statement: its last token is ';' (outside strings
// and comments).
func complete(text string) bool {
	toks, err := parser.Lex(text, parser.Pos{Line: 1, Col: 1})
	if err != nil {
		return false // e.g. an unterminated string: read more
	}
	for i := len(toks) - 1; i >= 0; i-- {
		if toks[i].Kind == parser.TokEOF {
			continue
		}
		return toks[i].IsOp(";")
	}
	return false
}
