package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os/exec"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/ksqlgo/ksqlgo/broker"
	"github.com/ksqlgo/ksqlgo/runtime"
	"github.com/ksqlgo/ksqlgo/runtime/ttd"
	"github.com/ksqlgo/ksqlgo/serde"
)

func TestRules(t *testing.T) {
	base := Payment{ID: "p", Card: "c", Amount: 10, Category: "grocery", Country: "NL", CardCountry: "NL"}
	with := func(f func(*Payment)) Payment { p := base; f(&p); return p }
	for _, tc := range []struct {
		name string
		p    Payment
		want []string
	}{
		{"ordinary", base, nil},
		{"large exactly at the limit", with(func(p *Payment) { p.Amount = 5000 }), []string{LargeAmount}},
		{"just under large", with(func(p *Payment) { p.Amount = 4999.99 }), nil},
		{"foreign small", with(func(p *Payment) { p.Country = "US"; p.Amount = 999 }), nil},
		{"foreign high", with(func(p *Payment) { p.Country = "US"; p.Amount = 1000 }), []string{ForeignHighValue}},
		{"risky merchant", with(func(p *Payment) { p.Category = "crypto"; p.Amount = 500 }), []string{RiskyMerchant}},
		{"every rule", with(func(p *Payment) { p.Category = "gambling"; p.Country = "US"; p.Amount = 6000 }),
			[]string{LargeAmount, ForeignHighValue, RiskyMerchant}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := Rules(tc.p); !slices.Equal(got, tc.want) {
				t.Fatalf("got %v want %v", got, tc.want)
			}
		})
	}
}

func TestTopologyOnDriver(t *testing.T) {
	d := newDriver(t, "payments", "fraudulent_payments")
	in := ttd.NewInputTopic(d, "payments", serde.String(), serde.JSON[Payment]())
	out := ttd.NewOutputTopic(d, "fraudulent_payments", serde.String(), serde.JSON[Alert]())
	g := NewGenerator(7)
	want := 0
	for range 2000 {
		p := g.Next(time.UnixMilli(0))
		if len(Rules(p)) > 0 {
			want++
		}
		if err := in.Pipe(p.Card, p, p.TS); err != nil {
			t.Fatal(err)
		}
	}
	// A record that is not JSON is skipped, not fatal.
	if err := d.Pipe("payments", []byte("k"), []byte("{not json"), 0); err != nil {
		t.Fatal(err)
	}
	got, err := out.Read()
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != want || want < 50 {
		t.Fatalf("got %d alerts, want %d (and the generator should make some)", len(got), want)
	}
	for _, a := range got {
		if a.Key != a.Value.Card || len(a.Value.Rules) == 0 {
			t.Fatalf("bad alert %+v", a)
		}
	}
	if m := d.Metrics(); m.DeserializationErrors != 1 {
		t.Fatalf("metrics %+v", m)
	}
}

// TestKcatEndToEnd: kcat, an outside Kafka client (librdkafka), produces payments to the
// embedded broker over TCP; the fraud topology consumes them and writes alerts.
func TestKcatEndToEnd(t *testing.T) {
	kcat, err := exec.LookPath("kcat")
	if err != nil {
		t.Skip("kcat is not installed (CI installs it: apt-get install kcat)")
	}
	b, err := broker.New(broker.Listen("127.0.0.1:0"), broker.DataDir(t.TempDir()))
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	cl, err := kgo.NewClient(kgo.SeedBrokers(b.Addr()))
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close()
	ctx := context.Background()
	if _, err := kadm.NewClient(cl).CreateTopics(ctx, 2, 1, nil, "payments"); err != nil {
		t.Fatal(err)
	}

	var input bytes.Buffer
	g := NewGenerator(99)
	var wantIDs []string
	for range 500 {
		p := g.Next(time.UnixMilli(1_700_000_000_000))
		v, _ := json.Marshal(p)
		fmt.Fprintf(&input, "%s|%s\n", p.Card, v)
		if len(Rules(p)) > 0 {
			wantIDs = append(wantIDs, p.ID)
		}
	}
	input.WriteString("garbage|not json at all\n")
	cmd := exec.Command(kcat, "-b", b.Addr(), "-P", "-t", "payments", "-K", "|", "-X", "acks=all")
	cmd.Stdin = &input
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("kcat: %v: %s", err, out)
	}

	topo, err := Topology("payments", "fraudulent_payments")
	if err != nil {
		t.Fatal(err)
	}
	app, err := runtime.New(topo, "fraud-e2e", runtime.Brokers(b.Addr()))
	if err != nil {
		t.Fatal(err)
	}
	runCtx, cancel := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- app.Run(runCtx) }()
	defer func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("app: %v", err)
		}
	}()

	rd, err := kgo.NewClient(kgo.SeedBrokers(b.Addr()), kgo.ConsumeTopics("fraudulent_payments"),
		kgo.ConsumeResetOffset(kgo.NewOffset().AtStart()))
	if err != nil {
		t.Fatal(err)
	}
	defer rd.Close()
	var gotIDs []string
	deadline := time.Now().Add(30 * time.Second)
	for len(gotIDs) < len(wantIDs) && time.Now().Before(deadline) {
		pctx, pcancel := context.WithTimeout(ctx, time.Second)
		for _, r := range rd.PollFetches(pctx).Records() {
			var a Alert
			if err := json.Unmarshal(r.Value, &a); err != nil {
				t.Fatalf("bad alert %q: %v", r.Value, err)
			}
			gotIDs = append(gotIDs, a.PaymentID)
		}
		pcancel()
	}
	slices.Sort(gotIDs)
	slices.Sort(wantIDs)
	if !slices.Equal(gotIDs, wantIDs) {
		t.Fatalf("alerts for %d payments, want %d:\n got %v\nwant %v", len(gotIDs), len(wantIDs), gotIDs, wantIDs)
	}
	for app.Metrics().DeserializationErrors != 1 {
		if time.Now().After(deadline) {
			t.Fatalf("the garbage record should be skipped and counted: %+v", app.Metrics())
		}
		time.Sleep(10 * time.Millisecond)
	}
	if !strings.HasPrefix(wantIDs[0], "pay-") {
		t.Fatal("unexpected ids")
	}
}

// newDriver returns a test driver, closed when the test ends, on the fraud topology reading in and writing out.
func newDriver(t *testing.T, in, out string) *ttd.Driver {
	t.Helper()
	topo, err := Topology(in, out)
	if err != nil {
		t.Fatal(err)
	}
	d, err := ttd.New(topo)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = d.Close() })
	return d
}
