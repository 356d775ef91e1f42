package parser

import (
	"sort"
	"strconv"
	"strings"
)

// This file turns the tokens of a KSQL SELECT into text TiDB's parser accepts (note
// "tidb-parser" §2.1 and §3.2): KSQL-only clauses are cut into side tables, expression
// syntax TiDB lacks becomes calls of synthetic functions whose names start with '$' (an
// unquoted KSQL identifier cannot contain '$'), every identifier is backquoted (so TiDB's
// reserved words and case rules do not matter) and every emitted piece remembers the token
// it came from, so TiDB's offsets map back to the original text.

// Synthetic function names.
const (
	fnArray    = "$K_ARR"      // ARRAY[a, b]        -> $K_ARR(a, b)
	fnSub      = "$K_SUB"      // x[i]               -> $K_SUB(x, i)
	fnDeref    = "$K_DEREF"    // x->f               -> $K_DEREF(x, 'F')
	fnLambda   = "$K_LAMBDA"   // (x, y) => e        -> $K_LAMBDA((x, y), e)
	fnCast     = "$K_CAST"     // CAST(e AS t)       -> $K_CAST(e, n), n indexes rewrite.casts
	fnMap      = "$K_MAP"      // MAP(k := v)        -> $K_MAP(k, v)
	fnStruct   = "$K_STRUCT"   // STRUCT(f := v)     -> $K_STRUCT(f, v)
	fnStar     = "$K_STAR"     // f(*)               -> f($K_STAR())
	fnDistinct = "$K_DISTINCT" // f(DISTINCT a)      -> f($K_DISTINCT(), a)
)

// passKeywords are the KSQL keywords handed to TiDB as keywords; every other word is an
// identifier and is backquoted.
var passKeywords = map[string]bool{
	"SELECT": true, "FROM": true, "WHERE": true, "GROUP": true, "BY": true, "HAVING": true,
	"AS": true, "JOIN": true, "ON": true, "AND": true, "OR": true, "NOT": true, "IS": true,
	"NULL": true, "TRUE": true, "FALSE": true, "CASE": true, "WHEN": true, "THEN": true,
	"ELSE": true, "END": true, "IN": true, "LIKE": true, "BETWEEN": true, "LIMIT": true,
}

// clauseWords end a source alias position.
var clauseWords = map[string]bool{
	"JOIN": true, "INNER": true, "LEFT": true, "RIGHT": true, "FULL": true, "OUTER": true,
	"WHERE": true, "GROUP": true, "WINDOW": true, "PARTITION": true, "HAVING": true,
	"EMIT": true, "LIMIT": true, "WITHIN": true, "ON": true,
}

type joinInfo struct {
	pos    Pos
	kind   JoinKind
	within *JoinWindow
}

type sourceInfo struct {
	name  Ident
	alias *Ident
}

// rewrite is one SELECT being rewritten; the side tables are read by the converter.
type rewrite struct {
	toks  []Token // without the final EOF
	eof   Token
	match []int    // index of the matching bracket, or -1
	cut   []bool   // token not emitted (and ignored by the expression pass)
	text  []string // replacement text, used when set[i]
	set   []bool
	pre   []string // text inserted before token i (len(toks)+1: the last is before EOF)

	out  string
	segs []seg

	window      *WindowSpec
	emit        EmitMode
	partition   bool
	joins       []joinInfo
	sources     []sourceInfo
	items       [][2]int // select item spans [from, to)
	casts       []*Type
	distinctNot map[int]bool // IS [NOT] DISTINCT FROM, keyed by the right operand's first token
	limit       int          // index of the LIMIT keyword, or -1
	groupBy     []int        // first token of each GROUP BY item
	partitionBy []int        // first token of each PARTITION BY item
}

type seg struct{ out, tok int }

func newRewrite(toks []Token) *rewrite {
	n := len(toks) - 1
	r := &rewrite{toks: toks[:n], eof: toks[n], match: make([]int, n), cut: make([]bool, n),
		text: make([]string, n), set: make([]bool, n), pre: make([]string, n+1), distinctNot: map[int]bool{},
		limit: -1}
	return r
}

func (r *rewrite) tok(i int) Token {
	if i >= 0 && i < len(r.toks) {
		return r.toks[i]
	}
	return r.eof
}

func (r *rewrite) errAt(i int, format string, args ...any) error {
	return errorf(r.tok(i).Pos, format, args...)
}

// unexpected reports token i as ksqlDB's grammar does ("Syntax Error" then the detail).
func (r *rewrite) unexpected(i int) error {
	return r.errAt(i, "Syntax Error\nmismatched input %s", r.tok(i).describe())
}

func (r *rewrite) replace(i int, s string) { r.text[i], r.set[i] = s, true }

func (r *rewrite) cutRange(from, to int) {
	for k := from; k < to && k < len(r.toks); k++ {
		r.cut[k] = true
	}
}

func (r *rewrite) brackets() error {
	var stack []int
	for i, t := range r.toks {
		r.match[i] = -1
		switch {
		case t.IsOp("(") || t.IsOp("["):
			stack = append(stack, i)
		case t.IsOp(")") || t.IsOp("]"):
			if len(stack) == 0 {
				return r.unexpected(i)
			}
			o := stack[len(stack)-1]
			if (r.toks[o].Value == "(") != (t.Value == ")") {
				return r.unexpected(i)
			}
			stack = stack[:len(stack)-1]
			r.match[i], r.match[o] = o, i
		}
	}
	if len(stack) > 0 {
		return r.unexpected(len(r.toks))
	}
	return nil
}

func isWord(t Token) bool { return t.Kind == TokIdent || t.Kind == TokQuotedIdent }

func identOf(t Token) Ident {
	return Ident{Name: t.Value, Quoted: t.Kind == TokQuotedIdent, Pos: t.Pos}
}

// subParser parses toks[from:] with the statement parser's helpers.
func (r *rewrite) subParser(from int) *parser {
	toks := append(append([]Token(nil), r.toks[from:]...), r.eof)
	return &parser{toks: toks}
}

// clauses handles the depth-0 clause words: it records sources, joins and select items
// and cuts EMIT, WINDOW, WITHIN and the join type words.
func (r *rewrite) clauses() error {
	depth := 0
	itemStart := 1
	inItems := true
	for i := 0; i < len(r.toks); i++ {
		t := r.toks[i]
		switch {
		case t.IsOp("(") || t.IsOp("["):
			depth++
			continue
		case t.IsOp(")") || t.IsOp("]"):
			depth--
			continue
		}
		if depth != 0 {
			continue
		}
		if inItems && t.IsOp(",") {
			r.items = append(r.items, [2]int{itemStart, i})
			itemStart = i + 1
			continue
		}
		if t.Kind != TokIdent {
			continue
		}
		switch t.Value {
		case "FROM":
			if r.tok(i - 1).Is("DISTINCT") {
				continue // IS [NOT] DISTINCT FROM
			}
			if inItems {
				r.items = append(r.items, [2]int{itemStart, i})
				inItems = false
			}
			r.source(i + 1)
		case "INNER", "LEFT", "RIGHT", "FULL":
			k := i + 1
			if t.Value != "INNER" && r.tok(k).Is("OUTER") {
				k++
			}
			if !r.tok(k).Is("JOIN") {
				continue
			}
			kind := map[string]JoinKind{"INNER": JoinInner, "LEFT": JoinLeft, "RIGHT": JoinRight, "FULL": JoinFull}[t.Value]
			r.joins = append(r.joins, joinInfo{pos: t.Pos, kind: kind})
			r.cutRange(i, k)
			r.source(k + 1)
			i = k
		case "JOIN":
			r.joins = append(r.joins, joinInfo{pos: t.Pos, kind: JoinInner})
			r.source(i + 1)
		case "WITHIN":
			if len(r.joins) == 0 {
				return r.unexpected(i)
			}
			p := r.subParser(i + 1)
			w, err := p.joinWindow(t.Pos)
			if err != nil {
				return err
			}
			r.joins[len(r.joins)-1].within = w
			r.cutRange(i, i+1+p.i)
			i += p.i
		case "WINDOW":
			if r.window != nil {
				return r.unexpected(i)
			}
			p := r.subParser(i + 1)
			if isWord(p.tok()) && !p.tok().Is("TUMBLING") && !p.tok().Is("HOPPING") && !p.tok().Is("SESSION") {
				p.i++ // a window name, e.g. WINDOW w SESSION (...)
			}
			w, err := p.windowSpec(t.Pos)
			if err != nil {
				return err
			}
			r.window = w
			r.cutRange(i, i+1+p.i)
			i += p.i
		case "PARTITION":
			if r.tok(i+1).Is("BY") && !inItems {
				r.partition = true
				r.replace(i, "ORDER")
				r.partitionBy = r.byList(i + 2)
			}
		case "GROUP":
			if r.tok(i+1).Is("BY") && !inItems {
				r.groupBy = r.byList(i + 2)
			}
		case "LIMIT":
			r.limit = i
		case "EMIT":
			switch n := r.tok(i + 1); {
			case n.Is("CHANGES"):
				r.emit = EmitChanges
			case n.Is("FINAL"):
				r.emit = EmitFinal
			default:
				return nearf(r.tok(i+1), "expecting CHANGES or FINAL")
			}
			r.cutRange(i, i+2)
			i++
		}
	}
	if inItems { // no FROM: the converter reports it
		r.items = append(r.items, [2]int{itemStart, len(r.toks)})
	}
	return nil
}

// byList returns the first token of each item of a GROUP BY or PARTITION BY list that
// starts at i.
func (r *rewrite) byList(i int) []int {
	starts := []int{i}
	depth := 0
	for k := i; k < len(r.toks); k++ {
		t := r.toks[k]
		switch {
		case t.IsOp("(") || t.IsOp("["):
			depth++
		case t.IsOp(")") || t.IsOp("]"):
			depth--
		case depth == 0 && t.IsOp(","):
			starts = append(starts, k+1)
		case depth == 0 && t.Kind == TokIdent && clauseWords[t.Value]:
			return starts
		}
	}
	return starts
}

// source records the source name at i and its alias.
func (r *rewrite) source(i int) {
	t := r.tok(i)
	if !isWord(t) {
		return // TiDB reports the error
	}
	s := sourceInfo{name: identOf(t)}
	a := r.tok(i + 1)
	if a.Is("AS") {
		a = r.tok(i + 2)
	} else if a.Kind == TokIdent && (clauseWords[a.Value] || passKeywords[a.Value]) {
		a = r.eof
	}
	if isWord(a) {
		id := identOf(a)
		s.alias = &id
	}
	r.sources = append(r.sources, s)
}

// walkBack returns the index of the first token of the primary expression that ends at
// token j (the base of a postfix ->, [...]), or -1.
func (r *rewrite) walkBack(j int) int {
	if j < 0 || j >= len(r.toks) || r.cut[j] {
		return -1
	}
	t := r.toks[j]
	k := j
	switch {
	case t.IsOp(")"):
		k = r.match[j]
		if k > 0 && isWord(r.toks[k-1]) && !(r.toks[k-1].Kind == TokIdent && passKeywords[r.toks[k-1].Value]) {
			k--
		}
	case t.IsOp("]"):
		o := r.match[j]
		if o > 0 && r.toks[o-1].Is("ARRAY") {
			k = o - 1
		} else {
			return r.walkBack(o - 1)
		}
	case t.Kind == TokIdent && passKeywords[t.Value] && t.Value != "NULL" && t.Value != "TRUE" && t.Value != "FALSE":
		return -1
	case isWord(t) || t.Kind == TokString || t.Kind == TokNumber:
		if k >= 2 && r.toks[k-1].IsOp(".") && isWord(r.toks[k-2]) {
			k -= 2
		}
	default:
		return -1
	}
	if k >= 2 && r.toks[k-1].IsOp("->") {
		return r.walkBack(k - 2)
	}
	return k
}

// exprs applies the expression rewrites to every token that was not cut.
func (r *rewrite) exprs() error {
	for i := 0; i < len(r.toks); i++ {
		if r.cut[i] {
			continue
		}
		t := r.toks[i]
		next := r.tok(i + 1)
		switch {
		case t.Is("ARRAY") && next.IsOp("["):
			r.replace(i, fnArray)
			r.replace(i+1, "(")
			r.replace(r.match[i+1], ")")
			i++
		case t.IsOp("["):
			b := r.walkBack(i - 1)
			if b < 0 {
				return r.unexpected(i)
			}
			r.pre[b] = fnSub + "(" + r.pre[b]
			r.replace(i, ",")
			r.replace(r.match[i], ")")
		case t.IsOp("->"):
			if !isWord(next) && !next.IsOp("*") {
				return nearf(r.tok(i+1), "expecting a field name")
			}
			b := r.walkBack(i - 1)
			if b < 0 {
				return r.unexpected(i)
			}
			r.pre[b] = fnDeref + "(" + r.pre[b]
			r.replace(i, ",")
			if next.IsOp("*") { // x->*: a struct's every field (select items only)
				r.replace(i+1, "'*')")
			} else {
				r.replace(i+1, "'"+strings.ReplaceAll(next.Value, "'", "''")+"')")
			}
			i++
		case t.IsOp("=>"):
			ps := i - 1
			if r.tok(ps).IsOp(")") {
				ps = r.match[ps]
			}
			if ps < 0 || (!isWord(r.tok(ps)) && !r.tok(ps).IsOp("(")) {
				return r.unexpected(i)
			}
			r.pre[ps] = fnLambda + "(" + r.pre[ps]
			r.replace(i, ",")
			end, depth := i+1, 0
			for ; end < len(r.toks); end++ {
				e := r.toks[end]
				if depth == 0 && (e.IsOp(",") || e.IsOp(")") || e.IsOp("]")) {
					break
				}
				if e.IsOp("(") || e.IsOp("[") {
					depth++
				} else if e.IsOp(")") || e.IsOp("]") {
					depth--
				}
			}
			r.pre[end] += ")"
		case t.IsOp(":="):
			r.replace(i, ",")
		case t.IsOp("||"):
			r.replace(i, "|")
		case t.Is("IS") && (next.Is("DISTINCT") || next.Is("NOT") && r.tok(i+2).Is("DISTINCT")):
			k := i + 1
			not := next.Is("NOT")
			if not {
				k++
			}
			if !r.tok(k + 1).Is("FROM") {
				return nearf(r.tok(k+1), "expecting FROM")
			}
			r.replace(i, "<=>")
			r.cutRange(i+1, k+2)
			r.distinctNot[k+2] = not
			i = k + 1
		case t.Is("CAST") && next.IsOp("("):
			closing := r.match[i+1]
			as, depth := -1, 0
			for k := i + 2; k < closing; k++ {
				e := r.toks[k]
				if e.IsOp("(") || e.IsOp("[") {
					depth++
				} else if e.IsOp(")") || e.IsOp("]") {
					depth--
				} else if depth == 0 && e.Is("AS") {
					as = k
					break
				}
			}
			if as < 0 {
				return nearf(r.tok(closing), "expecting AS")
			}
			p := &parser{toks: append(append([]Token(nil), r.toks[as+1:closing]...), r.tok(closing))}
			typ, err := p.parseType()
			if err != nil {
				return err
			}
			if p.i != closing-as-1 {
				return r.unexpected(as + 1 + p.i)
			}
			r.replace(i, fnCast)
			r.replace(as, ", "+strconv.Itoa(len(r.casts)))
			r.cutRange(as+1, closing)
			r.casts = append(r.casts, typ)
		case isWord(t) && next.IsOp("(") && !(t.Kind == TokIdent && passKeywords[t.Value]):
			if t.Kind == TokQuotedIdent && strings.HasPrefix(t.Value, "$") {
				return r.errAt(i, "function names cannot start with '$'")
			}
			switch {
			case t.Is("MAP"):
				r.replace(i, fnMap)
			case t.Is("STRUCT"):
				r.replace(i, fnStruct)
			}
			a := r.tok(i + 2)
			switch {
			case a.IsOp("*") && r.tok(i+3).IsOp(")"):
				r.replace(i+2, fnStar+"()")
			case a.Is("DISTINCT"):
				r.replace(i+2, fnDistinct+"(),")
			}
		case t.Kind == TokString && i > 0:
			// A string right after a value would be read by TiDB as an alias or as a
			// MySQL typed literal; KSQL has neither form here.
			p := r.toks[i-1]
			if p.Kind == TokQuotedIdent || p.Kind == TokString || p.Kind == TokNumber || p.IsOp(")") ||
				p.Kind == TokIdent && !passKeywords[p.Value] && !p.Is("ESCAPE") {
				return r.unexpected(i)
			}
		case t.IsOp("?"):
			return r.unexpected(i)
		case t.Kind == TokNumber:
			if err := r.checkNumber(i); err != nil {
				return err
			}
		}
	}
	return nil
}

// checkNumber refuses numeric literal i as ksqlDB does when its value does not fit its
// type (BIGINT, DOUBLE; TiDB would read it as a DECIMAL or fail). A minus sign in front,
// where no operand precedes it, is part of the literal.
func (r *rewrite) checkNumber(i int) error {
	t := r.toks[i]
	text, pos := t.Value, t.Pos
	if i > 0 && r.toks[i-1].IsOp("-") && (i == 1 || !endsOperand(r.toks[i-2])) {
		text, pos = "-"+text, r.toks[i-1].Pos
	}
	switch numberLit(text, pos).Kind {
	case LitInteger:
		if _, err := strconv.ParseInt(text, 10, 64); err != nil {
			return errorf(pos, "Invalid numeric literal: %s", text)
		}
	case LitDouble:
		if _, err := strconv.ParseFloat(text, 64); err != nil {
			return errorf(pos, "Number overflows DOUBLE: %s", text)
		}
	}
	return nil
}

// endsOperand says whether a token can end an operand (so a '-' after it subtracts).
func endsOperand(t Token) bool {
	switch t.Kind {
	case TokNumber, TokString, TokQuotedIdent:
		return true
	case TokIdent:
		return !passKeywords[t.Value] || t.Value == "NULL" || t.Value == "TRUE" || t.Value == "FALSE" || t.Value == "END"
	}
	return t.IsOp(")") || t.IsOp("]")
}

// emitText builds the text for TiDB and the offset map.
func (r *rewrite) emitText() {
	var b strings.Builder
	for i := 0; i <= len(r.toks); i++ {
		if r.pre[i] != "" {
			r.segs = append(r.segs, seg{b.Len(), i})
			b.WriteString(r.pre[i])
			b.WriteByte(' ')
		}
		if i == len(r.toks) {
			r.segs = append(r.segs, seg{b.Len(), i})
			break
		}
		var s string
		switch t := r.toks[i]; {
		case r.set[i]:
			s = r.text[i]
		case r.cut[i]:
			continue
		case t.Kind == TokIdent && (passKeywords[t.Value] || t.Value == "ESCAPE" && r.tok(i+1).Kind == TokString):
			s = t.Value
		case isWord(t):
			s = "`" + strings.ReplaceAll(t.Value, "`", "``") + "`"
		case t.Kind == TokString:
			s = "'" + strings.ReplaceAll(t.Value, "'", "''") + "'"
		default:
			s = t.Value
		}
		r.segs = append(r.segs, seg{b.Len(), i})
		b.WriteString(s)
		b.WriteByte(' ')
	}
	r.out = b.String()
}

// tokAt returns the index of the token that produced the text at offset off of r.out
// (len(r.toks) for the end).
func (r *rewrite) tokAt(off int) int {
	k := sort.Search(len(r.segs), func(k int) bool { return r.segs[k].out > off }) - 1
	if k < 0 {
		return 0
	}
	return r.segs[k].tok
}

func (r *rewrite) posAt(off int) Pos { return r.tok(r.tokAt(off)).Pos }

// duration parses "n unit".
func (p *parser) duration() (Duration, error) {
	pos := p.tok().Pos
	n, err := p.intLit()
	if err != nil {
		return Duration{}, err
	}
	u := p.tok()
	if u.Kind != TokIdent {
		return Duration{}, p.unexpected("a time unit")
	}
	p.i++
	return Duration{Pos: pos, Count: n, Unit: u.Value}, nil
}

// joinWindow parses what follows WITHIN: d or (d, d), then [GRACE PERIOD d].
func (p *parser) joinWindow(pos Pos) (*JoinWindow, error) {
	w := &JoinWindow{Pos: pos}
	var err error
	if p.acceptOp("(") {
		if w.Before, err = p.duration(); err != nil {
			return nil, err
		}
		if err := p.expectOp(","); err != nil {
			return nil, err
		}
		if w.After, err = p.duration(); err != nil {
			return nil, err
		}
		if err := p.expectOp(")"); err != nil {
			return nil, err
		}
	} else {
		if w.Before, err = p.duration(); err != nil {
			return nil, err
		}
		w.After = w.Before
	}
	if p.accept("GRACE") {
		if err := p.expect("PERIOD"); err != nil {
			return nil, err
		}
		g, err := p.duration()
		if err != nil {
			return nil, err
		}
		w.Grace = &g
	}
	return w, nil
}

// windowSpec parses what follows WINDOW.
func (p *parser) windowSpec(pos Pos) (*WindowSpec, error) {
	w := &WindowSpec{Pos: pos}
	switch {
	case p.accept("TUMBLING"):
		w.Kind = WindowTumbling
	case p.accept("HOPPING"):
		w.Kind = WindowHopping
	case p.accept("SESSION"):
		w.Kind = WindowSession
	default:
		return nil, p.unexpected("TUMBLING, HOPPING or SESSION")
	}
	if err := p.expectOp("("); err != nil {
		return nil, err
	}
	var err error
	if w.Kind != WindowSession {
		if err := p.expect("SIZE"); err != nil {
			return nil, err
		}
	}
	if w.Size, err = p.duration(); err != nil {
		return nil, err
	}
	for p.acceptOp(",") {
		var dst **Duration
		switch {
		case p.accept("ADVANCE") && w.Kind == WindowHopping:
			if err := p.expect("BY"); err != nil {
				return nil, err
			}
			dst = &w.Advance
		case p.accept("RETENTION"):
			dst = &w.Retention
		case p.accept("GRACE"):
			if err := p.expect("PERIOD"); err != nil {
				return nil, err
			}
			dst = &w.Grace
		default:
			return nil, p.unexpected("RETENTION or GRACE PERIOD")
		}
		d, err := p.duration()
		if err != nil {
			return nil, err
		}
		*dst = &d
	}
	if w.Kind == WindowHopping && w.Advance == nil {
		return nil, p.unexpected("ADVANCE BY")
	}
	return w, p.expectOp(")")
}
