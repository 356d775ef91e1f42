// Command ksqlgo is ksqlgo's single binary: the SQL prompt, the ksqlDB-compatible
// REST server, the test runner and an embedded Kafka broker. It is the only package
// that knows cobra, viper and pflag.
//
// Usage:
//
//	ksqlgo [flags]             the embedded broker (or bootstrap.servers) and a SQL prompt
//	ksqlgo run FILE.sql        run a SQL script headless; its queries run until Ctrl-C
//	ksqlgo server [flags]      the ksqlDB REST API (listeners, default http://127.0.0.1:8088)
//	ksqlgo test [FILES...]     run ksqlDB's QTT/RQTT files or ksql-test-runner style tests
//	ksqlgo broker [flags]      run the embedded broker on its own
//	ksqlgo config [flags]      print the effective configuration
//	ksqlgo version             print the version
//
// Every configuration key can be set in ksqlgo.yaml (in the working
// directory, or --config FILE), in the environment (KSQLGO_ plus the key in
// upper case with "." as "_", so broker.data.dir is KSQLGO_BROKER_DATA_DIR)
// or with a flag named after the key (--broker.data.dir); flags win over the
// environment, which wins over the file, which wins over the defaults.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, cancel := context.WithCancel(context.Background())
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	go func() {
		for sig := range sigs {
			// Ctrl-C during a push query ends the query, not the program.
			if h := interruptHook.Load(); sig == os.Interrupt && h != nil {
				(*h)()
				continue
			}
			cancel()
		}
	}()
	err := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	signal.Stop(sigs)
	cancel()
	if err != nil {
		fmt.Fprintf(os.Stderr, "ksqlgo: %v\n", err)
		os.Exit(1)
	}
}
