package engine

import (
	"errors"
	"fmt"
	"strings"

	"github.com/ksqlgo/ksqlgo/sql/expr"
	"github.com/ksqlgo/ksqlgo/sql/parser"
)

// Error is a statement that failed. Class is the ksqlDB (Java) exception class the
// failure corresponds to ("KsqlStatementException", "ParseFailedException", ...), so that
// conformance tests can check it; Pos is where, when known (Line 0 otherwise).
type Error struct {
	Class string
	Msg   string
	Pos   parser.Pos
	// quote: ksqlDB ends this message with the statement it planned (see withStatement).
	quote bool
}

func (e *Error) Error() string {
	if e.Pos.Line > 0 {
		return fmt.Sprintf("line %d:%d: %s", e.Pos.Line, e.Pos.Col, e.Msg)
	}
	return e.Msg
}

func stmtErr(format string, args ...any) error {
	return &Error{Class: "KsqlStatementException", Msg: fmt.Sprintf(format, args...)}
}

// parseErr is an error ksqlDB reports while parsing a statement, such as an invalid WITH
// property (ParseFailedException).
func parseErr(format string, args ...any) error {
	return &Error{Class: "ParseFailedException", Msg: fmt.Sprintf(format, args...)}
}

// parseErrAt is a ParseFailedException with a position, which ksqlDB writes into the
// message ("Line: 1, Col: 21: ...").
func parseErrAt(pos parser.Pos, format string, args ...any) error {
	return parseErr("Line: %d, Col: %d: %s", pos.Line, pos.Col, fmt.Sprintf(format, args...))
}

func stmtErrAt(pos parser.Pos, format string, args ...any) error {
	return &Error{Class: "KsqlStatementException", Msg: fmt.Sprintf(format, args...), Pos: pos}
}

// asError converts any error into an *Error (parse errors are ParseFailedException,
// expression errors keep their position).
func asError(err error) *Error {
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	var pe *parser.Error
	if errors.As(err, &pe) {
		return &Error{Class: "ParseFailedException", Msg: pe.Error()}
	}
	var ee *expr.Error
	if errors.As(err, &ee) {
		return &Error{Class: "KsqlStatementException", Msg: ee.Msg, Pos: ee.Pos}
	}
	return &Error{Class: "KsqlStatementException", Msg: err.Error()}
}

// RESTMessage is the message of ksqlDB's REST error entity for statement failing with
// err: a parse error's first line and the statement it quotes, else the error's message.
func RESTMessage(err error, statement string) string {
	var ee *Error
	if errors.As(err, &ee) {
		if ee.Class == "ParseFailedException" {
			first, _, _ := strings.Cut(ee.Msg, "\n")
			return first + "\n\nStatement: " + statement
		}
		return ee.Msg
	}
	return err.Error()
}
