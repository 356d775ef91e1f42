package parser

import (
	"fmt"
	"unicode/utf8"
)

// Pos is a position in the original script text. Offset is a byte offset from the start of
// the whole script; Line and Col are 1-based and count runes.
type Pos struct {
	Offset int
	Line   int
	Col    int
}

// String returns "L:C".
func (p Pos) String() string { return fmt.Sprintf("%d:%d", p.Line, p.Col) }

// Error is a syntax error at a position of the original text. Its text is
// "line L:C: message", followed by "\nStatement: <text>" when Statement is set (as
// ksqlDB's ParseFailedException quotes the statement of its ANTLR syntax errors).
type Error struct {
	Pos Pos
	Msg string
	// Statement is the text of the failing statement, or "".
	Statement string
}

// Error implements error.
func (e *Error) Error() string {
	s := fmt.Sprintf("line %d:%d: %s", e.Pos.Line, e.Pos.Col, e.Msg)
	if e.Statement != "" {
		s += "\nStatement: " + e.Statement
	}
	return s
}

func errorf(p Pos, format string, args ...any) *Error {
	return &Error{Pos: p, Msg: fmt.Sprintf(format, args...)}
}

// nearf reports a syntax error at token t in ksqlDB's words, "Syntax error at or near
// 'X' at line L:C", followed by the detail (what the grammar expected there).
func nearf(t Token, format string, args ...any) *Error {
	return errorf(t.Pos, "Syntax error at or near %s at line %d:%d: %s", t.describe(), t.Pos.Line, t.Pos.Col, fmt.Sprintf(format, args...))
}

// advance returns the position reached after text, starting at p.
func advance(p Pos, text string) Pos {
	for len(text) > 0 {
		r, n := utf8.DecodeRuneInString(text)
		text = text[n:]
		p.Offset += n
		if r == '\n' {
			p.Line++
			p.Col = 1
		} else {
			p.Col++
		}
	}
	return p
}
