package server

import (
	"net/http"
	"strings"

	"github.com/ksqlgo/ksqlgo/sql/engine"
)

// Content types of /query-stream.
const (
	delimitedV1 = "application/vnd.ksqlapi.delimited.v1"
	jsonType    = "application/json"
)

// queryStreamRequest is the body of POST /query-stream.
type queryStreamRequest struct {
	SQL              string         `json:"sql"`
	Properties       map[string]any `json:"properties"`
	SessionVariables map[string]any `json:"sessionVariables"`
}

// queryStream answers POST /query-stream: a header object with the query id and the
// column names and types, then one JSON array per row; newline-delimited
// (application/vnd.ksqlapi.delimited.v1, the default) or as one JSON array when the
// client accepts only application/json.
func (s *Server) queryStream(w http.ResponseWriter, r *http.Request) {
	var req queryStreamRequest
	if !decodeBody(w, r, &req) {
		return
	}
	res, stmt, ok := s.prepareQuery(w, req.SQL, req.Properties, req.SessionVariables, false)
	if !ok {
		return
	}
	accept := r.Header.Get("Accept")
	asJSON := strings.Contains(accept, jsonType) && !strings.Contains(accept, delimitedV1)
	ctype := delimitedV1
	if asJSON {
		ctype = jsonType
	}
	switch {
	case res.Pull != nil:
		p := res.Pull
		rows := make([][]byte, len(p.Rows))
		for i := range p.Rows {
			b, err := p.RowJSON(i)
			if err != nil {
				writeError(w, http.StatusInternalServerError, "render row: "+err.Error())
				return
			}
			rows[i] = b
		}
		names, types := make([]string, len(p.Columns)), make([]string, len(p.Columns))
		for i, c := range p.Columns {
			names[i], types[i] = c.Name, c.Type.String()
		}
		a := newArrayStream(w, ctype, !asJSON)
		if a.add(streamHeader(p.QueryID, names, types)) != nil {
			return
		}
		for _, row := range rows {
			if a.add(row) != nil {
				return
			}
		}
		a.end()
	case res.Push != nil:
		p := res.Push
		run, err := s.startPush(r.Context(), p, stmt)
		if err != nil {
			writeStatementError(w, stmt, err.Error(), nil)
			return
		}
		defer run.close()
		names, types := make([]string, len(p.Columns)), make([]string, len(p.Columns))
		for i, c := range p.Columns {
			names[i], types[i] = c.Name, c.Type.String()
		}
		a := newArrayStream(w, ctype, !asJSON)
		if a.add(streamHeader(run.id, names, types)) != nil {
			return
		}
		_, err = run.rows(func(row []any) error {
			b, err := engine.RowJSON(p.Columns, row)
			if err != nil {
				return err
			}
			return a.add(b)
		})
		if err != nil && r.Context().Err() == nil {
			s.cfg.log.Warn("push query failed", "query_id", p.Query.ID, "err", err)
			a.add(mustJSON(map[string]any{"@type": typeGenericError, "error_code": codeServerError, "message": err.Error()}))
		}
		a.end()
	default:
		writeError(w, http.StatusInternalServerError, "the statement returned no query")
	}
}

func streamHeader(id string, names, types []string) []byte {
	return mustJSON(struct {
		QueryID     string   `json:"queryId"`
		ColumnNames []string `json:"columnNames"`
		ColumnTypes []string `json:"columnTypes"`
	}{id, names, types})
}

// closeQuery answers POST /close-query {"queryId": ...}: it ends a running push query.
func (s *Server) closeQuery(w http.ResponseWriter, r *http.Request) {
	var req struct {
		QueryID string `json:"queryId"`
	}
	if !decodeBody(w, r, &req) {
		return
	}
	if !s.closePush(req.QueryID) {
		writeError(w, http.StatusBadRequest, "No query with id "+req.QueryID)
		return
	}
	w.WriteHeader(http.StatusOK)
}
