package server

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"

	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/ksqlgo/ksqlgo/sql/engine"
	"github.com/ksqlgo/ksqlgo/sql/parser"
)

// prepareQuery runs the one query statement of text (SELECT, or PRINT when allowPrint)
// under s.mu with the request's properties and variables. On failure it writes the
// error response and returns ok false.
func (s *Server) prepareQuery(w http.ResponseWriter, text string, reqProps, reqVars map[string]any, allowPrint bool) (res *engine.Result, stmt string, ok bool) {
	raws, err := parser.Split(text)
	if err != nil {
		writeStatementError(w, text, engine.RESTMessage(err, text), nil)
		return nil, "", false
	}
	if len(raws) != 1 {
		writeStatementError(w, text, fmt.Sprintf("Expected exactly one statement, got %d", len(raws)), nil)
		return nil, "", false
	}
	stmt = statementText(raws[0])
	s.mu.Lock()
	defer s.mu.Unlock()
	defer s.requestScope(reqProps, reqVars)()
	st, perr := parser.ParseStatement(raws[0], s.vars())
	if perr == nil {
		switch st.(type) {
		case *parser.Query:
		case *parser.Print:
			if !allowPrint {
				writeStatementError(w, stmt, "PRINT is not supported on this endpoint: use /query", nil)
				return nil, "", false
			}
		default:
			writeStatementError(w, stmt, fmt.Sprintf("Statement type `%s' not supported for this resource: use /ksql", statementKind(st)), nil)
			return nil, "", false
		}
	}
	res, err = s.eng.ExecuteRaw(raws[0])
	if err != nil {
		writeStatementError(w, stmt, engine.RESTMessage(err, stmt), nil)
		return nil, "", false
	}
	return res, stmt, true
}

// statementKind names a statement's type, e.g. "CreateSource".
func statementKind(st parser.Statement) string {
	return strings.TrimPrefix(fmt.Sprintf("%T", st), "*parser.")
}

// query answers POST /query: one SELECT (pull or push) or PRINT, streamed as a chunked
// JSON array (PRINT: as lines of text).
func (s *Server) query(w http.ResponseWriter, r *http.Request) {
	var req ksqlRequest
	if !decodeBody(w, r, &req) {
		return
	}
	res, stmt, ok := s.prepareQuery(w, req.KSQL, req.StreamsProperties, req.SessionVariables, true)
	if !ok {
		return
	}
	switch {
	case res.Pull != nil:
		s.queryPull(w, res.Pull)
	case res.Push != nil:
		s.queryPush(w, r, res.Push, stmt)
	case res.Print != nil:
		s.queryPrint(w, r, res.Print)
	default:
		writeError(w, http.StatusInternalServerError, "the statement returned no query")
	}
}

// arrayStream writes a JSON array element by element, flushing each.
type arrayStream struct {
	w     http.ResponseWriter
	rc    *http.ResponseController
	n     int
	delim bool // newline-delimited elements with no brackets (/query-stream delimited)
}

func newArrayStream(w http.ResponseWriter, contentType string, delim bool) *arrayStream {
	w.Header().Set("Content-Type", contentType)
	w.WriteHeader(http.StatusOK)
	return &arrayStream{w: w, rc: http.NewResponseController(w), delim: delim}
}

func (a *arrayStream) add(elem []byte) error {
	var sep string
	switch {
	case a.delim:
	case a.n == 0:
		sep = "["
	default:
		sep = ",\n"
	}
	a.n++
	if _, err := a.w.Write([]byte(sep)); err != nil {
		return err
	}
	if _, err := a.w.Write(elem); err != nil {
		return err
	}
	if a.delim {
		if _, err := a.w.Write([]byte("\n")); err != nil {
			return err
		}
	}
	return a.rc.Flush()
}

func (a *arrayStream) end() {
	switch {
	case a.delim:
		return
	case a.n == 0:
		a.w.Write([]byte("[]\n"))
	default:
		a.w.Write([]byte("]\n"))
	}
	a.rc.Flush()
}

func mustJSON(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err) // only maps of strings and numbers are marshalled here
	}
	return b
}

func rowElem(cols []byte) []byte {
	return append(append([]byte(`{"row":{"columns":`), cols...), "}}"...)
}

func (s *Server) queryPull(w http.ResponseWriter, p *engine.PullResult) {
	// Render every row before the status is out, so that a bad value is a clean error.
	rows := make([][]byte, len(p.Rows))
	for i := range p.Rows {
		b, err := p.RowJSON(i)
		if err != nil {
			writeError(w, http.StatusInternalServerError, "render row: "+err.Error())
			return
		}
		rows[i] = b
	}
	a := newArrayStream(w, "application/json", false)
	if a.add(mustJSON(map[string]any{"header": map[string]any{"queryId": p.QueryID, "schema": p.Schema()}})) != nil {
		return
	}
	for _, row := range rows {
		if a.add(rowElem(row)) != nil {
			return
		}
	}
	if p.Final != "" && a.add(mustJSON(map[string]string{"finalMessage": p.Final})) != nil {
		return
	}
	a.end()
}

func (s *Server) queryPush(w http.ResponseWriter, r *http.Request, p *engine.PushQuery, stmt string) {
	run, err := s.startPush(r.Context(), p, stmt)
	if err != nil {
		writeStatementError(w, stmt, err.Error(), nil)
		return
	}
	defer run.close()
	a := newArrayStream(w, "application/json", false)
	if a.add(mustJSON(map[string]any{"header": map[string]any{"queryId": run.id, "schema": pushSchema(p)}})) != nil {
		return
	}
	limit, err := run.rows(func(row []any) error {
		b, err := engine.RowJSON(p.Columns, row)
		if err != nil {
			return err
		}
		return a.add(rowElem(b))
	})
	switch {
	case err != nil:
		if r.Context().Err() == nil {
			s.cfg.log.Warn("push query failed", "query_id", p.Query.ID, "err", err)
			a.add(mustJSON(map[string]any{"errorMessage": map[string]any{"@type": typeGenericError,
				"error_code": codeServerError, "message": err.Error()}}))
		}
	case limit:
		a.add(mustJSON(map[string]string{"finalMessage": engine.FinalLimitReached}))
	}
	a.end()
}

// queryPrint streams PRINT's lines as text until its LIMIT or the client leaves.
func (s *Server) queryPrint(w http.ResponseWriter, r *http.Request, p *engine.PrintTopic) {
	start := kgo.NewOffset().AtEnd()
	if p.FromBeginning {
		start = kgo.NewOffset().AtStart()
	}
	cl, err := kgo.NewClient(kgo.SeedBrokers(s.brokers...), kgo.ConsumeTopics(p.Topic), kgo.ConsumeResetOffset(start))
	if err != nil {
		writeError(w, http.StatusInternalServerError, err.Error())
		return
	}
	defer cl.Close()
	ctx, cancel := context.WithCancel(r.Context())
	defer cancel()
	defer context.AfterFunc(s.closing, cancel)()
	w.Header().Set("Content-Type", "text/plain")
	w.WriteHeader(http.StatusOK)
	rc := http.NewResponseController(w)
	rc.Flush()
	pr := &engine.Printer{P: p}
	for !pr.Done() {
		fetches := cl.PollFetches(ctx)
		if ctx.Err() != nil {
			return
		}
		var werr error
		fetches.EachRecord(func(rec *kgo.Record) {
			for _, line := range pr.Print(rec.Partition, rec.Timestamp.UnixMilli(), rec.Key, rec.Value) {
				if werr == nil {
					_, werr = fmt.Fprintln(w, line)
				}
			}
		})
		if werr != nil || rc.Flush() != nil {
			return
		}
	}
}
