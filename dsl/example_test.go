package dsl_test

import (
	"fmt"
	"log"

	"github.com/ksqlgo/ksqlgo/dsl"
	"github.com/ksqlgo/ksqlgo/runtime/ttd"
	"github.com/ksqlgo/ksqlgo/serde"
)

type Order struct {
	Customer string `json:"customer"`
	Amount   int64  `json:"amount"`
}

// A filter pipeline: orders of 100 or more go to "big-orders", run on the test driver.
func Example() {
	b := dsl.NewBuilder()
	orders := dsl.StreamOf(b, "orders", dsl.Consumed(serde.String(), serde.JSON[Order]()))
	orders.Filter(func(_ string, o Order) bool { return o.Amount >= 100 }).
		To("big-orders") // the stream still carries the serdes of "orders"
	topo, err := b.Build()
	if err != nil {
		log.Fatal(err)
	}

	d, err := ttd.New(topo)
	if err != nil {
		log.Fatal(err)
	}
	defer d.Close()
	in := ttd.NewInputTopic(d, "orders", serde.String(), serde.JSON[Order]())
	for i, o := range []Order{{"alice", 50}, {"bob", 250}, {"carol", 100}} {
		if err := in.Pipe(fmt.Sprintf("o%d", i+1), o, int64(1000*(i+1))); err != nil {
			log.Fatal(err)
		}
	}
	out, err := ttd.NewOutputTopic(d, "big-orders", serde.String(), serde.JSON[Order]()).Read()
	if err != nil {
		log.Fatal(err)
	}
	for _, r := range out {
		fmt.Printf("%s at %d: %s %d\n", r.Key, r.Timestamp, r.Value.Customer, r.Value.Amount)
	}
	// Output:
	// o2 at 2000: bob 250
	// o3 at 3000: carol 100
}
