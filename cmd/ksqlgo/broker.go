package main

import (
	"fmt"
	"log/slog"

	"github.com/spf13/cobra"

	"github.com/ksqlgo/ksqlgo/broker"
)

func (a *app) brokerCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "broker",
		Short: "Run the embedded Kafka broker on its own until interrupted",
		Long: `Run the embedded Kafka broker (the Kafka protocol on broker.listen, data in
broker.data.dir) until SIGINT or SIGTERM. Any Kafka client can use it: topics
are created on first use with broker.partitions partitions.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			c, err := a.loadConfig()
			if err != nil {
				return err
			}
			log, err := newLogger(c.LogLevel, a.stderr)
			if err != nil {
				return err
			}
			b, err := a.startBroker(c, log)
			if err != nil {
				return err
			}
			<-cmd.Context().Done()
			log.Info("shutting down the broker")
			return b.Close()
		},
	}
}

// startBroker starts the embedded broker configured by c and prints where
// it listens and keeps its data.
func (a *app) startBroker(c Config, log *slog.Logger) (*broker.Broker, error) {
	opts := []broker.Opt{
		broker.Listen(c.BrokerListen),
		broker.DataDir(c.BrokerDataDir),
		broker.DefaultPartitions(c.BrokerPartitions),
		broker.Logger(log.With("component", "broker")),
	}
	if c.BrokerSyncWrites {
		opts = append(opts, broker.SyncWrites())
	}
	b, err := broker.New(opts...)
	if err != nil {
		return nil, err
	}
	fmt.Fprintf(a.stdout, "broker listening on %s, data in %s\n", b.Addr(), b.DataDir())
	return b, nil
}
