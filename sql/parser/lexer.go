package parser

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// TokenKind classifies a Token.
type TokenKind int

// Token kinds.
const (
	TokEOF         TokenKind = iota // end of the statement or script
	TokIdent                        // unquoted identifier or keyword; Value upper-cased
	TokQuotedIdent                  // "double quoted" or `backquoted` identifier; Value as written
	TokString                       // 'string literal'; Value with '' unescaped
	TokNumber                       // integer, decimal or exponent literal; Value as written
	TokOp                           // operator or punctuation; Value is the operator text
	TokVariable                     // ${name}; Value is the name (replaced by Substitute)
)

var tokenKindNames = [...]string{"EOF", "identifier", "quoted identifier", "string", "number", "operator", "variable"}

// String returns the kind's name.
func (k TokenKind) String() string {
	if int(k) < len(tokenKindNames) {
		return tokenKindNames[k]
	}
	return "token"
}

// Token is one lexical token. Raw is the original text (the source span Pos.Offset..End);
// Value is its meaning: upper-cased for unquoted identifiers, unquoted and unescaped for
// quoted identifiers and strings. Tokens produced by a ${var} substitution carry the
// position and Raw of the variable reference.
type Token struct {
	Kind  TokenKind
	Value string
	Raw   string
	Pos   Pos
	End   int // byte offset just past the token in the original script
}

// Is reports whether t is the unquoted keyword kw (upper case).
func (t Token) Is(kw string) bool { return t.Kind == TokIdent && t.Value == kw }

// IsOp reports whether t is the operator or punctuation op.
func (t Token) IsOp(op string) bool { return t.Kind == TokOp && t.Value == op }

// describe names the token in an error message.
func (t Token) describe() string {
	if t.Kind == TokEOF && t.Raw == "" {
		return "'<EOF>'"
	}
	return "'" + t.Raw + "'"
}

var ops2 = []string{"->", "=>", ":=", "||", "<>", "!=", "<=", ">=", "::"}

const ops1 = "=<>+-*/%()[]{},.;:?"

// Lex splits src into tokens; ${var} references stay TokVariable tokens (see Substitute).
// Positions count from start, the position of src's first byte in the whole script (use
// Pos{Line: 1, Col: 1} for a whole script). The result ends with a TokEOF token.
func Lex(src string, start Pos) ([]Token, error) {
	l := lexer{src: src, p: start, base: start.Offset}
	return l.run()
}

type lexer struct {
	src  string
	base int // script offset of src[0]
	p    Pos // current position; p.Offset-base indexes src
}

func (l *lexer) at() int { return l.p.Offset - l.base }

func (l *lexer) peek(k int) rune {
	i := l.at()
	for ; k > 0 && i < len(l.src); k-- {
		_, n := utf8.DecodeRuneInString(l.src[i:])
		i += n
	}
	if i >= len(l.src) {
		return -1
	}
	r, _ := utf8.DecodeRuneInString(l.src[i:])
	return r
}

func (l *lexer) next() rune {
	i := l.at()
	if i >= len(l.src) {
		return -1
	}
	r, n := utf8.DecodeRuneInString(l.src[i:])
	l.p.Offset += n
	if r == '\n' {
		l.p.Line++
		l.p.Col = 1
	} else {
		l.p.Col++
	}
	return r
}

func isIdentStart(r rune) bool { return r == '_' || unicode.IsLetter(r) }
func isIdentPart(r rune) bool {
	return r == '_' || r == '@' || unicode.IsLetter(r) || unicode.IsDigit(r)
}
func isDigit(r rune) bool { return r >= '0' && r <= '9' }

func (l *lexer) run() ([]Token, error) {
	var toks []Token
	for {
		r := l.peek(0)
		if r < 0 {
			toks = append(toks, Token{Kind: TokEOF, Pos: l.p, End: l.p.Offset})
			return toks, nil
		}
		start := l.p
		switch {
		case unicode.IsSpace(r):
			l.next()
			continue
		case r == '-' && l.peek(1) == '-':
			for r := l.peek(0); r >= 0 && r != '\n'; r = l.peek(0) {
				l.next()
			}
			continue
		case r == '/' && l.peek(1) == '*':
			l.next()
			l.next()
			for {
				c := l.next()
				if c < 0 {
					return nil, errorf(start, "unterminated comment")
				}
				if c == '*' && l.peek(0) == '/' {
					l.next()
					break
				}
			}
			continue
		}
		var t Token
		var err error
		switch {
		case isIdentStart(r):
			for isIdentPart(l.peek(0)) {
				l.next()
			}
			raw := l.src[start.Offset-l.base : l.at()]
			t = Token{Kind: TokIdent, Value: strings.ToUpper(raw)}
		case isDigit(r) || (r == '.' && isDigit(l.peek(1))):
			t, err = l.number(start)
		case r == '\'':
			var v string
			v, err = l.quoted('\'', start, "string literal")
			t = Token{Kind: TokString, Value: v}
		case r == '"' || r == '`':
			var v string
			v, err = l.quoted(r, start, "quoted identifier")
			t = Token{Kind: TokQuotedIdent, Value: v}
		case r == '$' && l.peek(1) == '{':
			l.next()
			l.next()
			nameStart := l.at()
			for c := l.peek(0); c != '}'; c = l.peek(0) {
				if c < 0 || c == '\n' {
					return nil, errorf(start, "unterminated variable reference")
				}
				l.next()
			}
			name := strings.TrimSpace(l.src[nameStart:l.at()])
			l.next()
			if name == "" {
				return nil, errorf(start, "empty variable reference")
			}
			t = Token{Kind: TokVariable, Value: name}
		default:
			t.Kind = TokOp
			rest := l.src[l.at():]
			for _, op := range ops2 {
				if strings.HasPrefix(rest, op) {
					t.Value = op
				}
			}
			if t.Value == "" {
				if !strings.ContainsRune(ops1, r) {
					return nil, errorf(start, "unexpected character %q", r)
				}
				t.Value = string(r)
			}
			for range t.Value {
				l.next()
			}
		}
		if err != nil {
			return nil, err
		}
		t.Pos = start
		t.End = l.p.Offset
		t.Raw = l.src[start.Offset-l.base : l.at()]
		toks = append(toks, t)
	}
}

// number lexes an integer, decimal (1.5, .5, 1.) or exponent (1e3, 1.5E-3) literal, or an
// identifier starting with a digit (1R) as ksqlDB's grammar allows.
func (l *lexer) number(start Pos) (Token, error) {
	for isDigit(l.peek(0)) {
		l.next()
	}
	if l.peek(0) == '.' && !isIdentStart(l.peek(1)) {
		l.next()
		for isDigit(l.peek(0)) {
			l.next()
		}
	}
	if c := l.peek(0); c == 'e' || c == 'E' {
		k := 1
		if s := l.peek(1); s == '+' || s == '-' {
			k = 2
		}
		if isDigit(l.peek(k)) {
			for ; k > 0; k-- {
				l.next()
			}
			for isDigit(l.peek(0)) {
				l.next()
			}
		}
	}
	text := l.src[start.Offset-l.base : l.at()]
	if isIdentPart(l.peek(0)) && !strings.ContainsRune(text, '.') {
		// ksqlDB's DIGIT_IDENTIFIER, e.g. the alias 1R.
		for isIdentPart(l.peek(0)) {
			l.next()
		}
		return Token{Kind: TokIdent, Value: strings.ToUpper(l.src[start.Offset-l.base : l.at()])}, nil
	}
	return Token{Kind: TokNumber, Value: l.src[start.Offset-l.base : l.at()]}, nil
}

// quoted lexes a literal delimited by q, where a doubled q stands for one q. Backslashes
// have no special meaning (ksqlDB strings know only the ” escape).
func (l *lexer) quoted(q rune, start Pos, what string) (string, error) {
	l.next()
	var b strings.Builder
	for {
		c := l.next()
		switch {
		case c < 0:
			return "", errorf(start, "unterminated %s", what)
		case c == q && l.peek(0) == q:
			l.next()
			b.WriteRune(q)
		case c == q:
			return b.String(), nil
		default:
			b.WriteRune(c)
		}
	}
}
