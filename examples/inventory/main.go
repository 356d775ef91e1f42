package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"os"
	"os/signal"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/ksqlgo/ksqlgo/broker"
	"github.com/ksqlgo/ksqlgo/runtime"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "inventory:", err)
		os.Exit(1)
	}
}

var items = []string{"apples", "bread", "coffee", "eggs", "milk"}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("inventory", flag.ContinueOnError)
	fs.SetOutput(stderr)
	brokers := fs.String("brokers", "", "Kafka brokers; empty starts the embedded broker in memory")
	duration := fs.Duration("duration", 0, "stop after this long (0: until interrupted)")
	rate := fs.Int("rate", 50, "movements per second")
	stateDir := fs.String("state-dir", "", "state directory (default: a temporary one)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *duration > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, *duration)
		defer cancel()
	}
	log := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	seeds := strings.Split(*brokers, ",")
	if *brokers == "" {
		b, err := broker.New(broker.Listen("127.0.0.1:0"), broker.InMemory(), broker.Logger(log))
		if err != nil {
			return err
		}
		defer b.Close()
		seeds = []string{b.Addr()}
		fmt.Fprintf(stdout, "embedded broker on %s\n", b.Addr())
	}
	dir := *stateDir
	if dir == "" {
		d, err := os.MkdirTemp("", "ksqlgo-inventory-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(d)
		dir = d
	}
	cl, err := kgo.NewClient(kgo.SeedBrokers(seeds...), kgo.AllowAutoTopicCreation())
	if err != nil {
		return err
	}
	defer cl.Close()
	if _, err := kadm.NewClient(cl).CreateTopics(ctx, 2, -1, nil, "stock_movements"); err != nil {
		return fmt.Errorf("create topic: %w", err)
	}
	topo, err := Topology()
	if err != nil {
		return err
	}
	app, err := runtime.New(topo, "inventory", runtime.Brokers(seeds...), runtime.StateDir(dir), runtime.Logger(log))
	if err != nil {
		return err
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var wg sync.WaitGroup
	var appErr error
	wg.Go(func() { appErr = app.Run(ctx) })
	wg.Go(func() { generate(ctx, cl, *rate) })
	tick := time.NewTicker(time.Second)
	defer tick.Stop()
	for ctx.Err() == nil {
		select {
		case <-ctx.Done():
		case <-tick.C:
			fmt.Fprintln(stdout, Report(ctx, app))
		}
	}
	cancel()
	wg.Wait()
	if errors.Is(appErr, context.Canceled) {
		appErr = nil
	}
	return appErr
}

// Report reads the current stock level of every item from the running application's
// table (an interactive query).
func Report(ctx context.Context, app *runtime.App) string {
	var parts []string
	for _, item := range items {
		v, err := app.Get(ctx, StoreName, []byte(item))
		switch {
		case errors.Is(err, runtime.ErrNotLocal):
			parts = append(parts, item+"=<remote>")
		case err != nil:
			parts = append(parts, item+"=<"+err.Error()+">")
		case v == nil:
			parts = append(parts, item+"=-")
		default:
			l, err := DecodeLevel(v)
			if err != nil {
				parts = append(parts, item+"=<bad>")
				continue
			}
			parts = append(parts, fmt.Sprintf("%s=%d", item, l.Qty))
		}
	}
	return "stock: " + strings.Join(parts, " ")
}

// DecodeLevel decodes a stored level (the DSL keeps aggregates with an 8-byte timestamp
// before the JSON value).
func DecodeLevel(stored []byte) (Level, error) {
	var l Level
	if len(stored) < 8 {
		return l, fmt.Errorf("short stored value")
	}
	return l, json.Unmarshal(stored[8:], &l)
}

// generate writes random movements: mostly sales, with deliveries that restock.
func generate(ctx context.Context, cl *kgo.Client, perSecond int) {
	r := rand.New(rand.NewPCG(1, 2))
	for _, item := range items { // opening stock
		v, _ := json.Marshal(Movement{Item: item, Store: "store-0", Type: Received, Qty: 100})
		cl.Produce(ctx, &kgo.Record{Topic: "stock_movements", Key: []byte(item), Value: v}, nil)
	}
	tick := time.NewTicker(time.Second / time.Duration(max(perSecond, 1)))
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
		m := Movement{Item: items[r.IntN(len(items))], Store: fmt.Sprintf("store-%d", r.IntN(3)), Type: Sold, Qty: int64(1 + r.IntN(5))}
		switch x := r.IntN(10); {
		case x == 0:
			m.Type, m.Qty = Received, int64(50+r.IntN(50))
		case x == 1:
			m.Type, m.Qty = Returned, 1
		}
		v, _ := json.Marshal(m)
		cl.Produce(ctx, &kgo.Record{Topic: "stock_movements", Key: []byte(m.Item), Value: v}, nil)
	}
}
