package main

import (
	"encoding/json"
	"fmt"
	"os"
	"reflect"
	"testing"
	"time"

	"github.com/ksqlgo/ksqlgo/runtime/ttd"
	"github.com/ksqlgo/ksqlgo/serde"
	"github.com/ksqlgo/ksqlgo/sql/engine"
)

// TestSQLMatchesDSL runs fraud.sql on the SQL engine and the Go DSL topology on the same
// payments and checks that both raise the same alerts, with the same rules, in order.
func TestSQLMatchesDSL(t *testing.T) {
	script, err := os.ReadFile("fraud.sql")
	if err != nil {
		t.Fatal(err)
	}
	r := engine.NewDriverRunner()
	defer r.Close()
	e := engine.New(r)
	if _, err := e.ExecuteScript(string(script)); err != nil {
		t.Fatal(err)
	}
	d := newDriver(t, "payments", "fraud-alerts")
	in := ttd.NewInputTopic(d, "payments", serde.String(), serde.JSON[Payment]())
	g := NewGenerator(11)
	for range 3000 {
		p := g.Next(time.UnixMilli(0))
		if err := in.Pipe(p.Card, p, p.TS); err != nil {
			t.Fatal(err)
		}
		v, _ := json.Marshal(p)
		if err := r.Pipe("payments", []byte(p.Card), v, p.TS); err != nil {
			t.Fatal(err)
		}
	}
	var dslAlerts []string
	for _, rec := range d.AllOutput("fraud-alerts") {
		var a Alert
		if err := json.Unmarshal(rec.Value, &a); err != nil {
			t.Fatal(err)
		}
		dslAlerts = append(dslAlerts, fmt.Sprint(string(rec.Key), a.PaymentID, a.Amount, a.Country, a.Merchant, a.Rules))
	}
	var sqlAlerts []string
	for _, rec := range r.Output("fraud-alerts") {
		var a struct {
			PaymentID string   `json:"PAYMENT_ID"`
			Amount    float64  `json:"AMOUNT"`
			Country   string   `json:"COUNTRY"`
			Merchant  string   `json:"MERCHANT"`
			Rules     []string `json:"RULES"`
		}
		if err := json.Unmarshal(rec.Value, &a); err != nil {
			t.Fatal(err)
		}
		sqlAlerts = append(sqlAlerts, fmt.Sprint(string(rec.Key), a.PaymentID, a.Amount, a.Country, a.Merchant, a.Rules))
	}
	if len(dslAlerts) < 50 {
		t.Fatalf("only %d alerts: the generator should make more", len(dslAlerts))
	}
	if !reflect.DeepEqual(dslAlerts, sqlAlerts) {
		t.Fatalf("SQL and DSL alerts differ: %d vs %d\nfirst DSL: %v\nfirst SQL: %v", len(dslAlerts), len(sqlAlerts), first(dslAlerts), first(sqlAlerts))
	}
}

func first(s []string) string {
	if len(s) == 0 {
		return ""
	}
	return s[0]
}
