// Package connectors holds sources and sinks (datagen, files, Postgres, HTTP) built on top of
// runtime.
//
// Nothing lands here yet. It may import runtime, serde and franz-go.
package connectors
