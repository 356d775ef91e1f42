package server

import (
	"maps"
	"net/http"
	"strings"

	"github.com/ksqlgo/ksqlgo/sql/engine"
	"github.com/ksqlgo/ksqlgo/sql/parser"
)

// ksqlRequest is the body of POST /ksql (and /query).
type ksqlRequest struct {
	KSQL              string         `json:"ksql"`
	StreamsProperties map[string]any `json:"streamsProperties"`
	SessionVariables  map[string]any `json:"sessionVariables"`
}

// errUseQueryEndpoint is ksqlDB's message for a query sent to /ksql.
const errUseQueryEndpoint = "The following statement types should be issued to the websocket endpoint '/query':\n\t* PRINT\n\t* SELECT"

// ksql answers POST /ksql: it runs the statements in order and returns one entity per
// statement (statements that ksqlDB acknowledges without one, such as INSERT VALUES
// and SET, add none), or a statement_error for the first that fails, after which none
// runs.
func (s *Server) ksql(w http.ResponseWriter, r *http.Request) {
	var req ksqlRequest
	if !decodeBody(w, r, &req) {
		return
	}
	if strings.TrimSpace(req.KSQL) == "" {
		writeError(w, http.StatusBadRequest, `"ksql" holds no statement`)
		return
	}
	raws, err := parser.Split(req.KSQL)
	if err != nil {
		writeStatementError(w, req.KSQL, engine.RESTMessage(err, req.KSQL), nil)
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	defer s.requestScope(req.StreamsProperties, req.SessionVariables)()
	done := []entity{}
	for _, raw := range raws {
		text := statementText(raw)
		st, perr := parser.ParseStatement(raw, s.vars())
		if perr == nil {
			switch st.(type) {
			case *parser.Query, *parser.Print:
				writeStatementError(w, text, errUseQueryEndpoint, done)
				return
			}
		}
		if t, ok := st.(*parser.Terminate); ok && !t.All && s.closePush(t.QueryID) {
			done = append(done, s.status(text, "terminate/"+t.QueryID+"/execute", &engine.Result{Message: "Query terminated."}))
			continue
		}
		res, err := s.eng.ExecuteRaw(raw)
		if err != nil {
			writeStatementError(w, text, engine.RESTMessage(err, text), done)
			return
		}
		if ent := s.entity(st, text, res); ent != nil {
			done = append(done, ent)
		}
	}
	writeJSON(w, http.StatusOK, done)
}

// statementText is a statement as ksqlDB quotes it: its text, ending with ';'.
func statementText(raw parser.RawStatement) string {
	t := strings.TrimSpace(raw.Text)
	if !strings.HasSuffix(t, ";") {
		t += ";"
	}
	return t
}

// requestScope applies a request's properties and session variables to the engine
// (under s.mu) and returns the function that restores the engine's own, so that they,
// and SET and DEFINE statements of the request, last for that request only.
func (s *Server) requestScope(streamsProps, sessionVars map[string]any) (restore func()) {
	savedProps := maps.Clone(s.eng.Props)
	savedVars := s.vars()
	maps.Copy(s.eng.Props, props(streamsProps))
	for k, v := range props(sessionVars) {
		s.eng.Execute(&parser.Define{Name: k, Value: v})
	}
	return func() {
		clear(s.eng.Props)
		maps.Copy(s.eng.Props, savedProps)
		for k := range s.vars() {
			s.eng.Execute(&parser.Undefine{Name: k})
		}
		for k, v := range savedVars {
			s.eng.Execute(&parser.Define{Name: k, Value: v})
		}
	}
}

// vars returns the engine's variables (DEFINE), under s.mu.
func (s *Server) vars() map[string]string {
	res, err := s.eng.Execute(&parser.Show{Kind: parser.ShowVariables})
	out := map[string]string{}
	if err != nil {
		return out
	}
	for _, row := range res.Rows {
		out[row[0]] = row[1]
	}
	return out
}
