package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
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
	root.AddCommand(a.brokerCmd(), a.configCmd(), a.versionCmd(), a.testCmd(), a.runCmd(), a.serverCmd())
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

// runDefault is ksqlgo with no command: the embedded broker (or the configured cluster)
// and a SQL prompt on stdin. Persistent queries keep running after stdin ends, until
// the program is stopped.
func (a *app) runDefault(ctx context.Context) error {
	return a.withCluster(ctx, func(ctx context.Context, s *session) error {
		s.useCommandTopic()
		fmt.Fprintln(a.stdout, "ksqlgo SQL prompt: statements end with ';' (Ctrl-C ends a push query; Ctrl-D leaves the prompt, queries keep running until Ctrl-C)")
		if err := s.prompt(ctx, a.stdin); errors.Is(err, errQuit) {
			return nil
		}
		<-ctx.Done()
		return nil
	})
}

// runCmd is `ksqlgo run FILE.sql`: the script's statements run headless and its
// persistent queries keep running until the program is stopped.
func (a *app) runCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "run FILE.sql",
		Short: "run a SQL script and keep its persistent queries running until interrupted",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			script, err := os.ReadFile(args[0])
			if err != nil {
				return err
			}
			return a.withCluster(cmd.Context(), func(ctx context.Context, s *session) error {
				if err := s.execScript(ctx, string(script), true); err != nil {
					return fmt.Errorf("%s: %w", args[0], err)
				}
				fmt.Fprintf(a.stdout, "%s: %d persistent queries running; Ctrl-C stops them\n", args[0], len(s.eng.Queries()))
				<-ctx.Done()
				return nil
			})
		},
	}
}

// withCluster starts the embedded broker (or checks bootstrap.servers), opens a SQL
// session on it and runs fn; the session's queries stop when fn returns.
func (a *app) withCluster(ctx context.Context, fn func(ctx context.Context, s *session) error) error {
	c, err := a.loadConfig()
	if err != nil {
		return err
	}
	log, err := newLogger(c.LogLevel, a.stderr)
	if err != nil {
		return err
	}
	var seeds []string
	if c.BootstrapServers != "" {
		seeds = strings.Split(c.BootstrapServers, ",")
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
		seeds = []string{b.Addr()}
	}
	s := newSession(seeds, c.StateDir, a.stdout, a)
	s.runner.Log = log
	defer s.close()
	return fn(ctx, s)
}
