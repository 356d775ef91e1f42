package parser

import "strings"

// RawStatement is one statement of a script, not yet parsed: its text (without the
// terminating ';'), the position of its first token in the whole script, and its tokens,
// which end with a TokEOF token placed at the terminating ';' (Raw ";") or at the end of
// the script (Raw ""). Variables are not yet substituted.
type RawStatement struct {
	Text   string
	Pos    Pos
	Tokens []Token
}

// Split lexes a script and cuts it at every ';' that is outside strings, quoted identifiers
// and comments. Empty statements are dropped. Positions are those of the whole script.
func Split(script string) ([]RawStatement, error) {
	toks, err := Lex(script, Pos{Line: 1, Col: 1})
	if err != nil {
		return nil, err
	}
	var out []RawStatement
	start := 0
	for i, t := range toks {
		if t.Kind != TokEOF && !t.IsOp(";") {
			continue
		}
		if i > start {
			body := append([]Token(nil), toks[start:i]...)
			eof := Token{Kind: TokEOF, Pos: t.Pos, End: t.Pos.Offset}
			if t.Kind == TokOp {
				eof.Raw = ";"
			}
			out = append(out, RawStatement{
				Text:   script[toks[start].Pos.Offset:toks[i-1].End],
				Pos:    toks[start].Pos,
				Tokens: append(body, eof),
			})
		}
		start = i + 1
	}
	return out, nil
}

// Substitute replaces ${name} references using vars: a TokVariable token becomes the tokens
// of the variable's value (lexed on their own, all carrying the reference's position), and
// a ${name} inside a string literal is replaced textually. Lookup is exact first, then
// case-insensitive. An unknown variable is an error at the reference.
func Substitute(toks []Token, vars map[string]string) ([]Token, error) {
	out := make([]Token, 0, len(toks))
	for _, t := range toks {
		switch {
		case t.Kind == TokVariable:
			v, ok := lookupVar(vars, t.Value)
			if !ok {
				return nil, errorf(t.Pos, "unknown variable %q", t.Value)
			}
			sub, err := Lex(v, Pos{Line: 1, Col: 1})
			if err != nil {
				return nil, errorf(t.Pos, "in the value of variable %q: %v", t.Value, err)
			}
			for _, s := range sub[:len(sub)-1] {
				if s.Kind == TokVariable {
					return nil, errorf(t.Pos, "variable %q refers to variable %q", t.Value, s.Value)
				}
				s.Pos, s.End, s.Raw = t.Pos, t.End, t.Raw
				out = append(out, s)
			}
		case t.Kind == TokString && strings.Contains(t.Value, "${"):
			v, err := substituteString(t, vars)
			if err != nil {
				return nil, err
			}
			t.Value = v
			out = append(out, t)
		default:
			out = append(out, t)
		}
	}
	return out, nil
}

func substituteString(t Token, vars map[string]string) (string, error) {
	var b strings.Builder
	s := t.Value
	for {
		i := strings.Index(s, "${")
		if i < 0 {
			b.WriteString(s)
			return b.String(), nil
		}
		j := strings.IndexByte(s[i:], '}')
		if j < 0 {
			b.WriteString(s)
			return b.String(), nil
		}
		name := strings.TrimSpace(s[i+2 : i+j])
		v, ok := lookupVar(vars, name)
		if !ok {
			p := t.Pos
			if k := strings.Index(t.Raw, s[i:i+j+1]); k >= 0 {
				p = advance(p, t.Raw[:k])
			}
			return "", errorf(p, "unknown variable %q", name)
		}
		b.WriteString(s[:i])
		b.WriteString(v)
		s = s[i+j+1:]
	}
}

func lookupVar(vars map[string]string, name string) (string, bool) {
	if v, ok := vars[name]; ok {
		return v, true
	}
	for k, v := range vars {
		if strings.EqualFold(k, name) {
			return v, true
		}
	}
	return "", false
}
