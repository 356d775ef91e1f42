// Package server is ksqlgo's ksqlDB-compatible REST API: the endpoints ksqlDB's clients
// (the ksql CLI, the Java and Go clients, curl) speak, served over one sql/engine.Engine
// whose persistent and transient queries run on a cluster (the embedded broker or
// bootstrap.servers).
//
// Endpoints, with ksqlDB's JSON shapes:
//
//	GET  /info           server version, Kafka cluster id, service id, status
//	GET  /healthcheck    {"isHealthy":true,...}
//	POST /ksql           statements (DDL, INSERT, SHOW, DESCRIBE, EXPLAIN, TERMINATE, ...):
//	                     one entity per statement, or a statement_error (HTTP 400) for the
//	                     first failing one, after which nothing more runs
//	POST /query          one SELECT (pull or push) or PRINT: a chunked JSON array, header
//	                     first, row by row, then the final message
//	POST /query-stream   one SELECT, newline-delimited (application/vnd.ksqlapi.delimited.v1,
//	                     the default) or one JSON array (application/json); HTTP/1.1 and
//	                     unencrypted HTTP/2 (h2c)
//	POST /close-query    stops a push query started by /query-stream
//
// Statements run one at a time on the engine (Server holds a mutex around it); push
// queries stream concurrently, each as a transient query that is stopped, and whose
// output topic is deleted, when its LIMIT is reached, its client disconnects, it is
// closed with /close-query, or the server shuts down. Request properties
// (streamsProperties, properties) and SET statements apply to the request that carries
// them only, as in ksqlDB.
//
// Bad input never stops the server: malformed bodies are 400, unknown paths 404, wrong
// methods 405, bodies over the limit 413, and a panic in a handler is recovered, logged
// and answered with 500.
//
// The catalog persists through the engine's command log (sql/engine CommandLog), which
// `ksqlgo server` keeps in the command topic, replays at start and follows (Follow) for
// the statements of other servers on the cluster. Not in scope yet: authentication, TLS,
// routing pull queries to the server owning a partition, and the /ws websocket endpoint.
//
// Imports: sql (engine, parser, expr, types), runtime, franz-go (kgo, kadm) and the
// standard library; cmd/ksqlgo starts it.
package server
