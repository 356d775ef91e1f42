package server

import (
	"encoding/json"
	"net/http"
)

// ksqlDB's error codes (io.confluent.ksql.rest.Errors).
const (
	codeBadRequest     = 40000
	codeBadStatement   = 40001
	codeNotFound       = 40400
	codeMethod         = 40500
	codeTooLarge       = 41300
	codeServerError    = 50000
	typeGenericError   = "generic_error"
	typeStatementError = "statement_error"
)

// errorBody is ksqlDB's KsqlErrorMessage; statement errors (KsqlStatementErrorMessage)
// add the statement and the entities of the statements that ran before it.
type errorBody struct {
	Type          string   `json:"@type"`
	ErrorCode     int      `json:"error_code"`
	Message       string   `json:"message"`
	StatementText *string  `json:"statementText,omitempty"`
	Entities      []entity `json:"entities,omitzero"`
}

// writeJSON writes v as the whole response body with status.
func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		status = http.StatusInternalServerError
		b, _ = json.Marshal(errorBody{Type: typeGenericError, ErrorCode: codeServerError, Message: "encode response: " + err.Error()})
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	w.Write(b)
	w.Write([]byte("\n"))
}

// writeError writes a generic_error with an HTTP status and ksqlDB's code for it.
func writeError(w http.ResponseWriter, status int, msg string) {
	code := status * 100
	if status == http.StatusBadRequest {
		code = codeBadRequest
	}
	writeJSON(w, status, errorBody{Type: typeGenericError, ErrorCode: code, Message: msg})
}

// writeStatementError writes a statement_error (400) for statement text failing with
// msg; done are the entities of the statements of the request that ran before it.
func writeStatementError(w http.ResponseWriter, text, msg string, done []entity) {
	if done == nil {
		done = []entity{}
	}
	writeJSON(w, http.StatusBadRequest, statementError(text, msg, done))
}

func statementError(text, msg string, done []entity) errorBody {
	return errorBody{Type: typeStatementError, ErrorCode: codeBadStatement, Message: msg, StatementText: &text, Entities: done}
}
