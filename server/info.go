package server

import "net/http"

// info answers GET /info as ksqlDB does.
func (s *Server) info(w http.ResponseWriter, _ *http.Request) {
	writeJSON(w, http.StatusOK, map[string]any{"KsqlServerInfo": map[string]any{
		"version":        s.cfg.version,
		"kafkaClusterId": s.cfg.kafkaClusterID,
		"ksqlServiceId":  s.cfg.serviceID,
		"serverStatus":   "RUNNING",
	}})
}

// healthcheck answers GET /healthcheck. The server is healthy while it serves: the
// catalog is the engine's, and the runner retries the cluster on its own.
func (s *Server) healthcheck(w http.ResponseWriter, _ *http.Request) {
	healthy := map[string]any{"isHealthy": true}
	writeJSON(w, http.StatusOK, map[string]any{"isHealthy": true,
		"details": map[string]any{"metastore": healthy, "kafka": healthy}})
}
