package main

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/ksqlgo/ksqlgo/runtime"
	"github.com/spf13/pflag"
	"github.com/spf13/viper"
)

// app holds what one invocation of ksqlgo shares between its commands: the
// one viper instance, the parsed flags and the standard streams.
type app struct {
	v          *viper.Viper
	flags      *pflag.FlagSet // root's persistent flags: --config and one per key
	configFile string         // --config
	usedFile   string         // the config file read, if any

	stdin          io.Reader
	stdout, stderr io.Writer
}

// run is ksqlgo's main: it parses args (without the program name), runs the
// command and returns its error. Commands that serve (the default and
// broker) run until ctx is cancelled, then shut down cleanly and return nil.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	a := &app{v: viper.New(), stdin: stdin, stdout: stdout, stderr: stderr}
	root := a.rootCmd()
	root.AddCommand(a.brokerCmd(), a.configCmd(), a.versionCmd())
	root.SetArgs(args)
	root.SetIn(stdin)
	root.SetOut(stdout)
	root.SetErr(stderr)
	return root.ExecuteContext(ctx)
}

func (a *app) rootCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "ksqlgo",
		Short: "Kafka Streams and ksqlDB in Go, with an embedded Kafka broker",
		Long: `ksqlgo runs stream processing written in SQL or Go against Kafka.

With no bootstrap.servers it starts an embedded Kafka broker that keeps its
data in broker.data.dir. Every key can be set in ksqlgo.yaml, as a KSQLGO_*
environment variable (broker.data.dir is KSQLGO_BROKER_DATA_DIR) or as a
flag; flags win over the environment, which wins over the file.`,
		Args:          cobra.NoArgs,
		SilenceUsage:  true,
		SilenceErrors: true,
		RunE:          func(cmd *cobra.Command, _ []string) error { return a.runDefault(cmd.Context()) },
	}
	a.flags = cmd.PersistentFlags()
	a.addConfigFlags(a.flags)
	return cmd
}

// runDefault is ksqlgo with no command: for now the embedded broker (or the
// configured cluster) and a note that the SQL shell is still to come.
func (a *app) runDefault(ctx context.Context) error {
	c, err := a.loadConfig()
	if err != nil {
		return err
	}
	log, err := newLogger(c.LogLevel, a.stderr)
	if err != nil {
		return err
	}
	if c.BootstrapServers != "" {
		seeds := strings.Split(c.BootstrapServers, ",")
		if err := runtime.WaitForCluster(ctx, seeds, c.ConnectTimeout, log); err != nil {
			return err
		}
		fmt.Fprintf(a.stdout, "using the Kafka cluster at %s (bootstrap.servers); no embedded broker started\n", c.BootstrapServers)
	} else {
		b, err := a.startBroker(c, log)
		if err != nil {
			return err
		}
		defer b.Close()
	}
	fmt.Fprintln(a.stdout, "the SQL shell arrives with the SQL engine; press Ctrl-C to stop")
	<-ctx.Done()
	return nil
}
