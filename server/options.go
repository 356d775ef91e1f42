package server

import (
	"log/slog"
)

// Opt configures a Server.
type Opt interface{ apply(*cfg) }

type cfg struct {
	log            *slog.Logger
	maxBody        int64
	version        string
	kafkaClusterID string
	serviceID      string
}

func defaultCfg() cfg {
	return cfg{log: slog.New(slog.DiscardHandler), maxBody: 4 << 20, version: "dev",
		kafkaClusterID: "ksqlgo", serviceID: "default_"}
}

type optFunc func(*cfg)

func (f optFunc) apply(c *cfg) { f(c) }

// Logger sets the logger for errors handled by the server (recovered panics, failed push
// queries), overriding the default that discards everything.
func Logger(l *slog.Logger) Opt { return optFunc(func(c *cfg) { c.log = l }) }

// MaxBodyBytes limits the size of a request body, overriding the default 4 MiB; a larger
// body is answered with 413.
func MaxBodyBytes(n int64) Opt { return optFunc(func(c *cfg) { c.maxBody = n }) }

// Version sets the version /info reports, overriding the default "dev".
func Version(v string) Opt { return optFunc(func(c *cfg) { c.version = v }) }

// KafkaClusterID sets the Kafka cluster id /info reports, overriding the default "ksqlgo".
func KafkaClusterID(id string) Opt { return optFunc(func(c *cfg) { c.kafkaClusterID = id }) }

// ServiceID sets the ksql service id /info reports, overriding the default "default_".
func ServiceID(id string) Opt { return optFunc(func(c *cfg) { c.serviceID = id }) }
