package main

import (
	"github.com/ksqlgo/ksqlgo/dsl"
	"github.com/ksqlgo/ksqlgo/runtime"
	"github.com/ksqlgo/ksqlgo/serde"
)

// Movement is one change of stock.
type Movement struct {
	Item  string `json:"item"`
	Store string `json:"store"`
	Type  string `json:"type"` // RECEIVED, SOLD or RETURNED
	Qty   int64  `json:"qty"`
}

// Level is the stock of an item over all stores.
type Level struct {
	Item string `json:"item"`
	Qty  int64  `json:"qty"`
}

// Movement types.
const (
	Received = "RECEIVED"
	Sold     = "SOLD"
	Returned = "RETURNED"
)

// StoreName is the state store holding the stock levels.
const StoreName = "stock-levels"

// LowStock is the level under which an item raises an alert.
const LowStock = 10

// Delta is the change of stock a movement makes; unknown types change nothing.
func Delta(m Movement) int64 {
	switch m.Type {
	case Received, Returned:
		return m.Qty
	case Sold:
		return -m.Qty
	}
	return 0
}

// Topology reads movements and writes levels and low-stock alerts.
func Topology() (*runtime.Topology, error) {
	b := dsl.NewBuilder()
	movements := dsl.StreamOf(b, "stock_movements", dsl.Consumed(serde.String(), serde.JSON[Movement]()))
	levels := dsl.Aggregate(movements.GroupByKey(),
		func() Level { return Level{} },
		func(item string, m Movement, l Level) Level { return Level{Item: item, Qty: l.Qty + Delta(m)} },
		serde.JSON[Level](), dsl.Named(StoreName))
	updates := levels.ToStream()
	updates.To("stock_levels", dsl.Produced(serde.String(), serde.JSON[Level]()))
	updates.Filter(func(_ string, l Level) bool { return l.Qty < LowStock }).
		To("low_stock_alerts", dsl.Produced(serde.String(), serde.JSON[Level]()))
	return b.Build()
}
