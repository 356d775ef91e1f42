package main

import (
	"errors"
	"fmt"
	"net"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/ksqlgo/ksqlgo/broker"
)

// Config is ksqlgo's configuration after defaults, ksqlgo.yaml, KSQLGO_*
// environment variables and flags, in increasing precedence.
type Config struct {
	// BootstrapServers (bootstrap.servers) is the Kafka cluster to use,
	// host:port[,host:port...]; empty starts the embedded broker.
	BootstrapServers string
	// StateDir (state.dir) is where state stores live.
	StateDir string
	// BrokerListen (broker.listen) is the embedded broker's host:port.
	BrokerListen string
	// BrokerDataDir (broker.data.dir) is the embedded broker's data directory.
	BrokerDataDir string
	// BrokerPartitions (broker.partitions) is the partition count of
	// auto-created topics, at least 1.
	BrokerPartitions int32
	// BrokerSyncWrites (broker.sync.writes) fsyncs every produced batch.
	BrokerSyncWrites bool
	// Listeners (listeners) are the URLs `ksqlgo server` serves ksqlDB's REST API on,
	// http://host:port[,http://host:port...].
	Listeners string
	// LogLevel (log.level) is one of debug, info, warn, error.
	LogLevel string
	// ConnectTimeout (connect.timeout) is how long to retry an unreachable
	// external cluster.
	ConnectTimeout time.Duration
}

// configFileName is the config file looked up in the working directory.
const configFileName = "ksqlgo.yaml"

// envPrefix prefixes the environment variable of every key.
const envPrefix = "KSQLGO"

// setting is one configuration key: its default, its flag and how it is
// parsed into Config. viper's own Unmarshal is not used because its casts
// turn bad values ("soon", "loud") into zero values silently; each key
// parses its raw value here so that errors name the key and what it allows.
type setting struct {
	key     string
	def     any
	usage   string
	allowed string // what the key accepts, for error messages
	flag    func(fs *pflag.FlagSet, s setting)
	set     func(c *Config, raw any) bool // false: raw is not allowed
	show    func(c *Config) string
}

func stringFlag(fs *pflag.FlagSet, s setting)   { fs.String(s.key, s.def.(string), s.usage) }
func int32Flag(fs *pflag.FlagSet, s setting)    { fs.Int32(s.key, s.def.(int32), s.usage) }
func boolFlag(fs *pflag.FlagSet, s setting)     { fs.Bool(s.key, s.def.(bool), s.usage) }
func durationFlag(fs *pflag.FlagSet, s setting) { fs.Duration(s.key, s.def.(time.Duration), s.usage) }

// settings lists every key, sorted.
var settings = []setting{
	{
		key: "bootstrap.servers", def: "", allowed: "host:port[,host:port...] or empty for the embedded broker",
		usage: "Kafka cluster to use (host:port,...); empty starts the embedded broker",
		flag:  stringFlag,
		set:   func(c *Config, raw any) (ok bool) { c.BootstrapServers, ok = asString(raw); return ok },
		show:  func(c *Config) string { return c.BootstrapServers },
	},
	{
		key: "broker.data.dir", def: broker.DefaultDataDir, allowed: "a non-empty directory path",
		usage: "data directory of the embedded broker",
		flag:  stringFlag,
		set: func(c *Config, raw any) (ok bool) {
			c.BrokerDataDir, ok = asString(raw)
			return ok && c.BrokerDataDir != ""
		},
		show: func(c *Config) string { return c.BrokerDataDir },
	},
	{
		key: "broker.listen", def: broker.DefaultListen, allowed: "host:port (port 0 picks a free port)",
		usage: "host:port the embedded broker listens on",
		flag:  stringFlag,
		set: func(c *Config, raw any) (ok bool) {
			c.BrokerListen, ok = asString(raw)
			_, _, err := net.SplitHostPort(c.BrokerListen)
			return ok && err == nil
		},
		show: func(c *Config) string { return c.BrokerListen },
	},
	{
		key: "broker.partitions", def: int32(1), allowed: "a whole number >= 1",
		usage: "partitions of topics the embedded broker auto-creates",
		flag:  int32Flag,
		set: func(c *Config, raw any) bool {
			n, err := strconv.ParseInt(fmt.Sprint(raw), 10, 32)
			c.BrokerPartitions = int32(n)
			return err == nil && n >= 1
		},
		show: func(c *Config) string { return strconv.Itoa(int(c.BrokerPartitions)) },
	},
	{
		key: "broker.sync.writes", def: false, allowed: "true or false",
		usage: "fsync every batch the embedded broker writes",
		flag:  boolFlag,
		set: func(c *Config, raw any) bool {
			b, err := strconv.ParseBool(fmt.Sprint(raw))
			c.BrokerSyncWrites = b
			return err == nil
		},
		show: func(c *Config) string { return strconv.FormatBool(c.BrokerSyncWrites) },
	},
	{
		key: "connect.timeout", def: 30 * time.Second, allowed: "a positive duration such as 30s, 2m or 1h30m",
		usage: "how long to retry an unreachable Kafka cluster",
		flag:  durationFlag,
		set: func(c *Config, raw any) bool {
			d, ok := raw.(time.Duration)
			if !ok {
				var err error
				d, err = time.ParseDuration(fmt.Sprint(raw))
				ok = err == nil
			}
			c.ConnectTimeout = d
			return ok && d > 0
		},
		show: func(c *Config) string { return c.ConnectTimeout.String() },
	},
	{
		key: "listeners", def: "http://127.0.0.1:8088", allowed: "http://host:port[,http://host:port...] (port 0 picks a free port)",
		usage: "URLs the server command serves ksqlDB's REST API on",
		flag:  stringFlag,
		set: func(c *Config, raw any) (ok bool) {
			c.Listeners, ok = asString(raw)
			_, err := listenAddrs(c.Listeners)
			return ok && err == nil
		},
		show: func(c *Config) string { return c.Listeners },
	},
	{
		key: "log.level", def: "info", allowed: "one of " + strings.Join(logLevels, ", "),
		usage: "log level: " + strings.Join(logLevels, ", "),
		flag:  stringFlag,
		set: func(c *Config, raw any) (ok bool) {
			c.LogLevel, ok = asString(raw)
			return ok && slices.Contains(logLevels, c.LogLevel)
		},
		show: func(c *Config) string { return c.LogLevel },
	},
	{
		key: "state.dir", def: "./ksqlgo-data/state", allowed: "a non-empty directory path",
		usage: "directory of the state stores",
		flag:  stringFlag,
		set:   func(c *Config, raw any) (ok bool) { c.StateDir, ok = asString(raw); return ok && c.StateDir != "" },
		show:  func(c *Config) string { return c.StateDir },
	},
}

// asString accepts strings and the scalars YAML may turn a string into.
func asString(raw any) (string, bool) {
	switch v := raw.(type) {
	case string:
		return v, true
	case nil, map[string]any, []any:
		return "", false
	default:
		return fmt.Sprint(v), true
	}
}

func knownKeys() []string {
	keys := make([]string, len(settings))
	for i, s := range settings {
		keys[i] = s.key
	}
	return keys
}

// addConfigFlags adds --config and a flag per key to fs and binds them.
func (a *app) addConfigFlags(fs *pflag.FlagSet) {
	fs.StringVar(&a.configFile, "config", "", "config file (YAML; default "+configFileName+" in the working directory, if present)")
	for _, s := range settings {
		s.flag(fs, s)
		a.v.SetDefault(s.key, s.def)
		if err := a.v.BindPFlag(s.key, fs.Lookup(s.key)); err != nil {
			panic(err) // the flag was just added
		}
	}
	a.v.SetEnvPrefix(envPrefix)
	a.v.SetEnvKeyReplacer(strings.NewReplacer(".", "_"))
	a.v.AutomaticEnv()
}

// loadConfig reads the config file, checks every key and value, and
// returns the effective Config.
func (a *app) loadConfig() (Config, error) {
	path, explicit := a.configFile, a.configFile != ""
	if !explicit {
		path = configFileName
	}
	if _, err := os.Stat(path); err == nil || explicit {
		a.v.SetConfigFile(path)
		a.v.SetConfigType("yaml")
		if err := a.v.ReadInConfig(); err != nil {
			return Config{}, fmt.Errorf("read config file %s: %w", path, err)
		}
		a.usedFile = path
	}

	known := knownKeys()
	var errs []error
	for _, k := range a.v.AllKeys() {
		if !slices.Contains(known, k) {
			errs = append(errs, fmt.Errorf("config file %s: unknown key %q (known keys: %s)", a.usedFile, k, strings.Join(known, ", ")))
		}
	}
	var c Config
	for _, s := range settings {
		raw := a.v.Get(s.key)
		if !s.set(&c, raw) {
			errs = append(errs, fmt.Errorf("config key %s: %q from %s is not allowed: want %s", s.key, fmt.Sprint(raw), a.source(s.key), s.allowed))
		}
	}
	return c, errors.Join(errs...)
}

// source names where the value of key comes from, for error messages.
func (a *app) source(key string) string {
	if f := a.flags.Lookup(key); f != nil && f.Changed {
		return "flag --" + key
	}
	env := envPrefix + "_" + strings.ToUpper(strings.ReplaceAll(key, ".", "_"))
	if v, ok := os.LookupEnv(env); ok && v != "" {
		return "environment variable " + env
	}
	if a.usedFile != "" && a.v.InConfig(key) {
		return "config file " + a.usedFile
	}
	return "the default"
}

func (a *app) configCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "config",
		Short: "Print the effective configuration (defaults, " + configFileName + ", KSQLGO_* environment, flags)",
		Args:  cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			c, err := a.loadConfig()
			if err != nil {
				return err
			}
			var b strings.Builder
			for _, s := range settings {
				fmt.Fprintf(&b, "%s = %s\n", s.key, s.show(&c))
			}
			_, err = fmt.Fprint(a.stdout, b.String())
			return err
		},
	}
}
