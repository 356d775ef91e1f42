package main

import (
	"strings"
	"testing"
)

const defaultConfig = `bootstrap.servers = 
broker.data.dir = ./ksqlgo-data/broker
broker.listen = 127.0.0.1:9092
broker.partitions = 1
broker.sync.writes = false
connect.timeout = 30s
listeners = http://127.0.0.1:8088
log.level = info
state.dir = ./ksqlgo-data/state
`

func TestConfigDefaults(t *testing.T) {
	inTempDir(t)
	out, err := runCmd(t, "config")
	if err != nil {
		t.Fatal(err)
	}
	if out != defaultConfig {
		t.Fatalf("ksqlgo config printed\n%s\nwant\n%s", out, defaultConfig)
	}
}

// TestConfigPrecedence: default < file < env < flag, for each kind of key.
func TestConfigPrecedence(t *testing.T) {
	type layers struct{ file, env, flag string }
	for _, tc := range []struct {
		key    string
		values layers // "" leaves the layer unset
		want   string
	}{
		{"log.level", layers{}, "info"},
		{"log.level", layers{file: "debug"}, "debug"},
		{"log.level", layers{file: "debug", env: "warn"}, "warn"},
		{"log.level", layers{file: "debug", env: "warn", flag: "error"}, "error"},
		{"log.level", layers{file: "debug", flag: "error"}, "error"},
		{"broker.partitions", layers{file: "2"}, "2"},
		{"broker.partitions", layers{file: "2", env: "3"}, "3"},
		{"broker.partitions", layers{file: "2", env: "3", flag: "4"}, "4"},
		{"broker.sync.writes", layers{env: "true"}, "true"},
		{"broker.sync.writes", layers{env: "true", flag: "false"}, "false"},
		{"connect.timeout", layers{file: "1m"}, "1m0s"},
		{"connect.timeout", layers{file: "1m", env: "2m", flag: "90s"}, "1m30s"},
		{"broker.data.dir", layers{file: "f", env: "e"}, "e"},
		{"bootstrap.servers", layers{file: "kafka:9092"}, "kafka:9092"},
	} {
		t.Run(tc.key+"/"+tc.want, func(t *testing.T) {
			inTempDir(t)
			if tc.values.file != "" {
				// Nested YAML: broker.data.dir is broker: {data: {dir: ...}}.
				parts := strings.Split(tc.key, ".")
				var b strings.Builder
				for i, p := range parts {
					b.WriteString(strings.Repeat("  ", i) + p + ":")
					if i < len(parts)-1 {
						b.WriteString("\n")
					}
				}
				writeFile(t, configFileName, b.String()+" "+tc.values.file+"\n")
			}
			if tc.values.env != "" {
				t.Setenv("KSQLGO_"+strings.ToUpper(strings.ReplaceAll(tc.key, ".", "_")), tc.values.env)
			}
			args := []string{"config"}
			if tc.values.flag != "" {
				args = append(args, "--"+tc.key+"="+tc.values.flag)
			}
			out, err := runCmd(t, args...)
			if err != nil {
				t.Fatal(err)
			}
			if line := tc.key + " = " + tc.want + "\n"; !strings.Contains(out, line) {
				t.Fatalf("ksqlgo config printed\n%s\nwant the line %q", out, line)
			}
		})
	}
}

func TestConfigFile(t *testing.T) {
	dir := inTempDir(t)
	// Flat dotted keys work as well as nested ones.
	writeFile(t, "other.yaml", "log.level: warn\nstate.dir: /s\n")
	writeFile(t, configFileName, "log.level: debug\n")
	out, err := runCmd(t, "config", "--config", dir+"/other.yaml")
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range []string{"log.level = warn\n", "state.dir = /s\n"} {
		if !strings.Contains(out, line) {
			t.Errorf("--config other.yaml: output\n%s\nlacks %q", out, line)
		}
	}
	if _, err := runCmd(t, "config", "--config", "missing.yaml"); err == nil || !strings.Contains(err.Error(), "missing.yaml") {
		t.Errorf("--config missing.yaml: %v, want an error naming the file", err)
	}
	writeFile(t, configFileName, "log: [\n")
	if _, err := runCmd(t, "config"); err == nil || !strings.Contains(err.Error(), configFileName) {
		t.Errorf("broken YAML: %v, want an error naming the file", err)
	}
}

func TestConfigUnknownKey(t *testing.T) {
	inTempDir(t)
	writeFile(t, configFileName, "brokr:\n  listen: 127.0.0.1:1\nlog.level: debug\nbroker.colour: red\n")
	_, err := runCmd(t, "config")
	if err == nil {
		t.Fatal("config with unknown keys succeeded")
	}
	for _, want := range []string{`unknown key "brokr.listen"`, `unknown key "broker.colour"`, configFileName,
		"known keys: bootstrap.servers, broker.data.dir, broker.listen, broker.partitions, broker.sync.writes, connect.timeout, listeners, log.level, state.dir"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q lacks %q", err, want)
		}
	}
}

// TestConfigBadValues: each bad value names its key, where it comes from
// and what is allowed, and fails every command that reads the config.
func TestConfigBadValues(t *testing.T) {
	for _, tc := range []struct {
		name, file, env, flag string
		want                  []string
	}{
		{name: "log level", file: "log.level: loud", want: []string{"log.level", `"loud"`, "config file ksqlgo.yaml", "one of debug, info, warn, error"}},
		{name: "partitions", file: "broker:\n  partitions: 0", want: []string{"broker.partitions", `"0"`, "a whole number >= 1"}},
		{name: "partitions text", env: "KSQLGO_BROKER_PARTITIONS=many", want: []string{"broker.partitions", "environment variable KSQLGO_BROKER_PARTITIONS", ">= 1"}},
		{name: "timeout", file: "connect.timeout: soon", want: []string{"connect.timeout", `"soon"`, "a positive duration such as 30s"}},
		{name: "timeout negative", flag: "--connect.timeout=-1s", want: []string{"connect.timeout", "flag --connect.timeout", "positive duration"}},
		{name: "sync writes", env: "KSQLGO_BROKER_SYNC_WRITES=maybe", want: []string{"broker.sync.writes", "true or false"}},
		{name: "listen", file: "broker.listen: nowhere", want: []string{"broker.listen", "host:port"}},
		{name: "data dir", file: `broker.data.dir: ""`, want: []string{"broker.data.dir", "non-empty directory"}},
		{name: "log level flag", flag: "--log.level=LOUD", want: []string{"log.level", "flag --log.level", "debug, info, warn, error"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			inTempDir(t)
			if tc.file != "" {
				writeFile(t, configFileName, tc.file+"\n")
			}
			if k, v, ok := strings.Cut(tc.env, "="); ok {
				t.Setenv(k, v)
			}
			for _, cmd := range [][]string{{"config"}, {"broker"}, {}} {
				args := cmd
				if tc.flag != "" {
					args = append(args, tc.flag)
				}
				_, err := runCmd(t, args...)
				if err == nil {
					t.Fatalf("ksqlgo %v succeeded", args)
				}
				for _, want := range tc.want {
					if !strings.Contains(err.Error(), want) {
						t.Errorf("ksqlgo %v: error %q lacks %q", args, err, want)
					}
				}
			}
		})
	}
}
