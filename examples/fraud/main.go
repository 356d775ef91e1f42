package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"strings"
	"sync"
	"syscall"

	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/ksqlgo/ksqlgo/broker"
	"github.com/ksqlgo/ksqlgo/runtime"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "fraud:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("fraud", flag.ContinueOnError)
	fs.SetOutput(stderr)
	brokers := fs.String("brokers", "", "Kafka brokers to use; empty starts the embedded broker")
	listen := fs.String("listen", "127.0.0.1:0", "address of the embedded broker")
	dataDir := fs.String("data-dir", "", "data directory of the embedded broker; empty keeps it in memory")
	rate := fs.Int("rate", 200, "payments generated per second")
	maxAlerts := fs.Int("alerts", 0, "stop after this many alerts (0: run until interrupted)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	log := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	seeds := strings.Split(*brokers, ",")
	if *brokers == "" {
		opts := []broker.Opt{broker.Listen(*listen), broker.Logger(log)}
		if *dataDir == "" {
			opts = append(opts, broker.InMemory())
		} else {
			opts = append(opts, broker.DataDir(*dataDir))
		}
		b, err := broker.New(opts...)
		if err != nil {
			return err
		}
		defer b.Close()
		seeds = []string{b.Addr()}
		fmt.Fprintf(stdout, "embedded broker on %s (try: kcat -b %s -C -t fraudulent_payments)\n", b.Addr(), b.Addr())
	}
	cl, err := kgo.NewClient(kgo.SeedBrokers(seeds...), kgo.AllowAutoTopicCreation())
	if err != nil {
		return err
	}
	defer cl.Close()
	if _, err := kadm.NewClient(cl).CreateTopics(ctx, 4, -1, nil, "payments", "fraudulent_payments"); err != nil {
		return fmt.Errorf("create topics: %w", err)
	}
	topo, err := Topology("payments", "fraudulent_payments")
	if err != nil {
		return err
	}
	app, err := runtime.New(topo, "fraud-detection", runtime.Brokers(seeds...), runtime.Logger(log))
	if err != nil {
		return err
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var wg sync.WaitGroup
	errs := make([]error, 2)
	wg.Go(func() { errs[0] = app.Run(ctx) })
	wg.Go(func() { errs[1] = NewGenerator(42).Produce(ctx, cl, "payments", *rate) })
	err = printAlerts(ctx, seeds, stdout, *maxAlerts)
	cancel()
	wg.Wait()
	return errors.Join(err, errs[0], errs[1])
}

// printAlerts prints alerts as they arrive until ctx ends or max alerts were printed.
func printAlerts(ctx context.Context, seeds []string, w io.Writer, max int) error {
	cl, err := kgo.NewClient(kgo.SeedBrokers(seeds...), kgo.ConsumeTopics("fraudulent_payments"))
	if err != nil {
		return err
	}
	defer cl.Close()
	n := 0
	for ctx.Err() == nil && (max == 0 || n < max) {
		fs := cl.PollFetches(ctx)
		for _, r := range fs.Records() {
			var a Alert
			if err := json.Unmarshal(r.Value, &a); err != nil {
				continue
			}
			n++
			fmt.Fprintf(w, "ALERT %s card %s %9.2f in %s at %s: %s\n", a.PaymentID, a.Card, a.Amount, a.Country, a.Merchant, strings.Join(a.Rules, ", "))
			if max > 0 && n >= max {
				break
			}
		}
	}
	return nil
}
