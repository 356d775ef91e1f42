package server

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"runtime/debug"
)

// route is one endpoint: its method and handler.
type route struct {
	method string
	h      http.HandlerFunc
}

// routes returns the server's handler: the endpoints behind panic recovery, with
// ksqlDB-style JSON errors for unknown paths (404) and wrong methods (405).
func (s *Server) routes() http.Handler {
	s.table = map[string]route{
		"/info":         {http.MethodGet, s.info},
		"/healthcheck":  {http.MethodGet, s.healthcheck},
		"/ksql":         {http.MethodPost, s.ksql},
		"/query":        {http.MethodPost, s.query},
		"/query-stream": {http.MethodPost, s.queryStream},
		"/close-query":  {http.MethodPost, s.closeQuery},
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rw := &recordingWriter{ResponseWriter: w}
		defer s.recoverPanic(rw, r)
		rt, ok := s.table[r.URL.Path]
		switch {
		case !ok:
			writeError(rw, http.StatusNotFound, fmt.Sprintf("Path not found: %s", r.URL.Path))
		case r.Method != rt.method:
			rw.Header().Set("Allow", rt.method)
			writeError(rw, http.StatusMethodNotAllowed, fmt.Sprintf("Method %s not allowed on %s; use %s", r.Method, r.URL.Path, rt.method))
		default:
			r.Body = http.MaxBytesReader(rw, r.Body, s.cfg.maxBody)
			rt.h(rw, r)
		}
	})
}

// recoverPanic turns a handler's panic into a logged 500 (or, once the response has
// started, an aborted response); the server keeps serving.
func (s *Server) recoverPanic(w *recordingWriter, r *http.Request) {
	p := recover()
	if p == nil {
		return
	}
	if p == http.ErrAbortHandler {
		panic(p)
	}
	s.cfg.log.Error("handler panicked", "method", r.Method, "path", r.URL.Path, "err", fmt.Sprint(p), "stack", string(debug.Stack()))
	if w.wrote {
		panic(http.ErrAbortHandler) // the status is out: abort the response
	}
	writeError(w, http.StatusInternalServerError, fmt.Sprintf("internal error: %v", p))
}

// recordingWriter notes whether the response has started.
type recordingWriter struct {
	http.ResponseWriter
	wrote bool
}

func (w *recordingWriter) WriteHeader(code int) {
	w.wrote = true
	w.ResponseWriter.WriteHeader(code)
}

func (w *recordingWriter) Write(b []byte) (int, error) {
	w.wrote = true
	return w.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach Flush and the deadlines.
func (w *recordingWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// decodeBody decodes the JSON request body into v, writing the error response (400 for
// malformed JSON, 413 for a body over the limit) and returning false when it fails.
func decodeBody(w http.ResponseWriter, r *http.Request, v any) bool {
	d := json.NewDecoder(r.Body)
	d.UseNumber()
	err := d.Decode(v)
	if err == nil {
		if _, terr := d.Token(); terr != io.EOF {
			err = errors.New("unexpected data after the JSON object")
			if terr != nil && !errors.Is(terr, io.EOF) {
				err = terr
			}
		}
	}
	if err == nil {
		return true
	}
	var tooLarge *http.MaxBytesError
	if errors.As(err, &tooLarge) {
		writeError(w, http.StatusRequestEntityTooLarge, fmt.Sprintf("request body larger than %d bytes", tooLarge.Limit))
		return false
	}
	if errors.Is(err, io.EOF) {
		err = errors.New("empty body")
	}
	writeError(w, http.StatusBadRequest, "Invalid JSON in request: "+err.Error())
	return false
}

// props turns request properties (JSON values) into the engine's string properties.
func props(m map[string]any) map[string]string {
	out := make(map[string]string, len(m))
	for k, v := range m {
		if str, ok := v.(string); ok {
			out[k] = str
			continue
		}
		out[k] = fmt.Sprint(v)
	}
	return out
}
