package main

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"
)

// Generator makes a deterministic stream of payments: mostly ordinary ones, with a few
// large, foreign or risky-merchant payments mixed in.
type Generator struct {
	r *rand.Rand
	n int
}

// NewGenerator returns a generator seeded with seed.
func NewGenerator(seed uint64) *Generator { return &Generator{r: rand.New(rand.NewPCG(seed, 1))} }

var (
	countries  = []string{"NL", "DE", "FR", "GB", "US"}
	categories = []string{"grocery", "fuel", "travel", "electronics", "crypto", "gambling"}
)

// Next returns the next payment.
func (g *Generator) Next(now time.Time) Payment {
	g.n++
	card := fmt.Sprintf("4111-0000-0000-%04d", g.r.IntN(200))
	home := countries[len(card)%len(countries)]
	p := Payment{
		ID:          fmt.Sprintf("pay-%07d", g.n),
		Card:        card,
		Amount:      float64(g.r.IntN(30000)) / 100, // up to 300.00
		Currency:    "EUR",
		Merchant:    fmt.Sprintf("merchant-%03d", g.r.IntN(500)),
		Category:    categories[g.r.IntN(4)],
		Country:     home,
		CardCountry: home,
		TS:          now.UnixMilli(),
	}
	switch x := g.r.IntN(100); {
	case x < 2:
		p.Amount = 5000 + float64(g.r.IntN(2000000))/100
	case x < 4:
		p.Country = countries[(g.r.IntN(len(countries)-1)+1+indexOf(countries, home))%len(countries)]
		p.Amount = 1000 + float64(g.r.IntN(400000))/100
	case x < 6:
		p.Category = categories[4+g.r.IntN(2)]
		p.Amount = 500 + float64(g.r.IntN(100000))/100
	}
	return p
}

func indexOf(xs []string, s string) int {
	for i, x := range xs {
		if x == s {
			return i
		}
	}
	return 0
}

// Produce writes payments to topic at about perSecond until ctx ends.
func (g *Generator) Produce(ctx context.Context, cl *kgo.Client, topic string, perSecond int) error {
	tick := time.NewTicker(time.Second / time.Duration(max(perSecond, 1)))
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case now := <-tick.C:
			p := g.Next(now)
			v, err := json.Marshal(p)
			if err != nil {
				return err
			}
			cl.Produce(ctx, &kgo.Record{Topic: topic, Key: []byte(p.Card), Value: v}, nil)
		}
	}
}
