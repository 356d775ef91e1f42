package dsl_test

import (
	"fmt"
	"log"
	"time"

	"github.com/ksqlgo/ksqlgo/dsl"
	"github.com/ksqlgo/ksqlgo/runtime/ttd"
	"github.com/ksqlgo/ksqlgo/serde"
)

// Enrich a stream from a table: each order, keyed by customer, joins the customer's
// current name (a stream-table join); an order of an unknown customer keeps an empty
// name (LeftJoinTable).
func ExampleLeftJoinTable() {
	b := dsl.NewBuilder()
	orders := dsl.StreamOf(b, "orders", dsl.Consumed(serde.String(), serde.JSON[int64]()))
	names := dsl.TableOf(b, "customers", dsl.Consumed(serde.String(), serde.String()))
	dsl.LeftJoinTable(orders, names, func(customer string, amount int64, name string, found bool) string {
		if !found {
			name = "?"
		}
		return fmt.Sprintf("%s (%s) ordered %d", customer, name, amount)
	}).To("enriched", dsl.Produced(serde.String(), serde.String()))
	topo, err := b.Build()
	if err != nil {
		log.Fatal(err)
	}
	d, err := ttd.New(topo)
	if err != nil {
		log.Fatal(err)
	}
	defer d.Close()
	customers := ttd.NewInputTopic(d, "customers", serde.String(), serde.String())
	in := ttd.NewInputTopic(d, "orders", serde.String(), serde.JSON[int64]())
	must := func(err error) {
		if err != nil {
			log.Fatal(err)
		}
	}
	must(customers.Pipe("c1", "Ada", 1000))
	must(in.Pipe("c1", 30, 2000))
	must(in.Pipe("c2", 50, 3000))
	out, err := ttd.NewOutputTopic(d, "enriched", serde.String(), serde.String()).Read()
	must(err)
	for _, r := range out {
		fmt.Println(r.Value)
	}
	// Output:
	// c1 (Ada) ordered 30
	// c2 (?) ordered 50
}

// Pair two streams within a window: a payment joins the orders of the same key at most a
// minute before or after it (a stream-stream join); the result has the later timestamp.
func ExampleJoinStreams() {
	b := dsl.NewBuilder()
	consumed := dsl.Consumed(serde.String(), serde.String())
	orders := dsl.StreamOf(b, "orders", consumed)
	payments := dsl.StreamOf(b, "payments", consumed)
	dsl.JoinStreams(orders, payments, func(id, order, payment string) string { return order + " paid by " + payment },
		dsl.JoinTimeWindowsWithGrace(time.Minute, 0)).To("paid", dsl.Produced(serde.String(), serde.String()))
	topo, err := b.Build()
	if err != nil {
		log.Fatal(err)
	}
	d, err := ttd.New(topo)
	if err != nil {
		log.Fatal(err)
	}
	defer d.Close()
	pipe := func(topic, key, value string, ts int64) {
		if err := ttd.NewInputTopic(d, topic, serde.String(), serde.String()).Pipe(key, value, ts); err != nil {
			log.Fatal(err)
		}
	}
	pipe("orders", "o1", "book", 0)
	pipe("orders", "o2", "lamp", 0)
	pipe("payments", "o1", "card", 30_000)  // within a minute of o1
	pipe("payments", "o2", "cash", 120_000) // too late for o2
	out, err := ttd.NewOutputTopic(d, "paid", serde.String(), serde.String()).Read()
	if err != nil {
		log.Fatal(err)
	}
	for _, r := range out {
		fmt.Printf("%s at %d: %s\n", r.Key, r.Timestamp, r.Value)
	}
	// Output:
	// o1 at 30000: book paid by card
}
