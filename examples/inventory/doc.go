// Command inventory is ksqlgo's inventory example on the Go DSL. Stock movements (goods
// received, sold or returned, per item and store) become a table of stock levels per
// item; items whose level falls below a threshold raise low-stock alerts; and the table is
// read while the application runs (interactive queries).
//
//	go run ./examples/inventory                # until Ctrl-C
//	go run ./examples/inventory -duration 10s
//
// It starts the embedded broker in memory (no Kafka needed) unless -brokers is given.
//
// Topics: "stock_movements" (input, JSON Movement keyed by item), "stock_levels" (every
// update of the table, JSON Level keyed by item), "low_stock_alerts" (JSON Level of items
// under the threshold, keyed by item). The table's store is "stock-levels", changelogged
// to "inventory-stock-levels-changelog".
package main
