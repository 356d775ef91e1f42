package main

import (
	"github.com/ksqlgo/ksqlgo/dsl"
	"github.com/ksqlgo/ksqlgo/runtime"
	"github.com/ksqlgo/ksqlgo/serde"
)

// Payment is one payment event, JSON in the topic "payments", keyed by card.
type Payment struct {
	ID          string  `json:"id"`
	Card        string  `json:"card"`
	Amount      float64 `json:"amount"`
	Currency    string  `json:"currency"`
	Merchant    string  `json:"merchant"`
	Category    string  `json:"category"`
	Country     string  `json:"country"`
	CardCountry string  `json:"card_country"`
	TS          int64   `json:"ts"`
}

// Alert is a suspicious payment and the rules it broke.
type Alert struct {
	PaymentID string   `json:"payment_id"`
	Card      string   `json:"card"`
	Amount    float64  `json:"amount"`
	Country   string   `json:"country"`
	Merchant  string   `json:"merchant"`
	Rules     []string `json:"rules"`
}

// Rule names.
const (
	LargeAmount      = "LARGE_AMOUNT"
	ForeignHighValue = "FOREIGN_HIGH_VALUE"
	RiskyMerchant    = "RISKY_MERCHANT"
)

// Rules returns the rules p breaks (see the package documentation).
func Rules(p Payment) []string {
	var broken []string
	if p.Amount >= 5000 {
		broken = append(broken, LargeAmount)
	}
	if p.Country != p.CardCountry && p.Amount >= 1000 {
		broken = append(broken, ForeignHighValue)
	}
	if (p.Category == "crypto" || p.Category == "gambling") && p.Amount >= 500 {
		broken = append(broken, RiskyMerchant)
	}
	return broken
}

// Topology reads payments from in and writes alerts to out.
func Topology(in, out string) (*runtime.Topology, error) {
	b := dsl.NewBuilder()
	payments := dsl.StreamOf(b, in, dsl.Consumed(serde.String(), serde.JSON[Payment]()))
	suspicious := payments.Filter(func(_ string, p Payment) bool { return len(Rules(p)) > 0 })
	alerts := dsl.MapValues(suspicious, func(p Payment) Alert {
		return Alert{PaymentID: p.ID, Card: p.Card, Amount: p.Amount, Country: p.Country, Merchant: p.Merchant, Rules: Rules(p)}
	})
	alerts.To(out, dsl.Produced(serde.String(), serde.JSON[Alert]()))
	return b.Build()
}
