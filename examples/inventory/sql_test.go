package main

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"reflect"
	"testing"

	"github.com/ksqlgo/ksqlgo/runtime/ttd"
	"github.com/ksqlgo/ksqlgo/serde"
	"github.com/ksqlgo/ksqlgo/sql/engine"
)

// TestSQLMatchesDSL runs inventory.sql on the SQL engine and the Go DSL topology on the
// same movements and checks that both produce the same stock levels and low-stock
// alerts, update for update.
func TestSQLMatchesDSL(t *testing.T) {
	script, err := os.ReadFile("inventory.sql")
	if err != nil {
		t.Fatal(err)
	}
	r := engine.NewDriverRunner()
	defer r.Close()
	e := engine.New(r)
	if _, err := e.ExecuteScript(string(script)); err != nil {
		t.Fatal(err)
	}
	d := newDriver(t)
	in := ttd.NewInputTopic(d, "stock_movements", serde.String(), serde.JSON[Movement]())
	rnd := rand.New(rand.NewPCG(3, 4))
	items := []string{"apples", "bread", "milk", "tea"}
	kinds := []string{Received, Sold, Sold, Returned, "DAMAGED"}
	for i := range 2000 {
		m := Movement{Item: items[rnd.IntN(len(items))], Store: "s1", Type: kinds[rnd.IntN(len(kinds))], Qty: int64(rnd.IntN(8) + 1)}
		if err := in.Pipe(m.Item, m, int64(i)); err != nil {
			t.Fatal(err)
		}
		v, _ := json.Marshal(m)
		if err := r.Pipe("stock_movements", []byte(m.Item), v, int64(i)); err != nil {
			t.Fatal(err)
		}
	}
	for _, topic := range []string{"stock_levels", "low_stock_alerts"} {
		var dslOut, sqlOut []string
		for _, rec := range d.AllOutput(topic) {
			var l Level
			if err := json.Unmarshal(rec.Value, &l); err != nil {
				t.Fatal(err)
			}
			dslOut = append(dslOut, fmt.Sprint(string(rec.Key), l.Qty))
		}
		for _, rec := range r.Output(topic) {
			var l struct {
				Qty int64 `json:"QTY"`
			}
			if err := json.Unmarshal(rec.Value, &l); err != nil {
				t.Fatal(err)
			}
			sqlOut = append(sqlOut, fmt.Sprint(string(rec.Key), l.Qty))
		}
		if len(dslOut) < 100 {
			t.Fatalf("%s: only %d records", topic, len(dslOut))
		}
		if !reflect.DeepEqual(dslOut, sqlOut) {
			t.Fatalf("%s: SQL and DSL differ: %d vs %d records", topic, len(dslOut), len(sqlOut))
		}
	}
}
