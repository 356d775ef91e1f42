// Command fraud is ksqlgo's fraud-detection example on the Go DSL. It starts the embedded
// broker (no Kafka needed), generates payment events into the topic "payments", and runs a
// topology that writes suspicious payments, with the rules they broke, into
// "fraudulent_payments", printing them as they arrive.
//
//	go run ./examples/fraud                 # until Ctrl-C
//	go run ./examples/fraud -alerts 10      # stop after 10 alerts
//	go run ./examples/fraud -brokers host:9092   # use an existing Kafka cluster
//
// The rules (see Rules), each on a single payment:
//
//   - LARGE_AMOUNT: the amount is 5,000 or more.
//   - FOREIGN_HIGH_VALUE: the payment is made in another country than the card's and the
//     amount is 1,000 or more.
//   - RISKY_MERCHANT: the merchant category is "crypto" or "gambling" and the amount is 500
//     or more.
//
// A payment that breaks at least one rule becomes one alert listing every rule it broke.
// Payments are keyed by card number; alerts keep that key.
package main
