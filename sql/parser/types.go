package parser

import (
	"strconv"
	"strings"
)

// TypeKind is the base of a SQL type.
type TypeKind int

// Type kinds.
const (
	TypeBoolean TypeKind = iota
	TypeInt              // INT, INTEGER
	TypeBigint
	TypeDouble
	TypeDecimal // DECIMAL(p, s)
	TypeString  // STRING, VARCHAR
	TypeBytes
	TypeDate
	TypeTime
	TypeTimestamp
	TypeArray  // ARRAY<Elem>
	TypeMap    // MAP<Key, Elem>
	TypeStruct // STRUCT<name T, ...>
	TypeCustom // a name registered with CREATE TYPE
)

var typeNames = [...]string{"BOOLEAN", "INTEGER", "BIGINT", "DOUBLE", "DECIMAL", "STRING", "BYTES",
	"DATE", "TIME", "TIMESTAMP", "ARRAY", "MAP", "STRUCT", "CUSTOM"}

// String returns the kind's SQL name (INTEGER for INT, STRING for VARCHAR).
func (k TypeKind) String() string { return typeNames[k] }

// Type is a parsed SQL type.
type Type struct {
	Kind      TypeKind
	Pos       Pos
	Precision int           // DECIMAL
	Scale     int           // DECIMAL
	Key       *Type         // MAP key
	Elem      *Type         // ARRAY element, MAP value
	Fields    []StructField // STRUCT fields, in order
	Name      Ident         // TypeCustom
}

// StructField is one field of a STRUCT type.
type StructField struct {
	Name Ident
	Type *Type
}

// String renders the type in ksqlDB's canonical form, e.g. "MAP<STRING, DECIMAL(4, 2)>".
func (t *Type) String() string {
	switch t.Kind {
	case TypeDecimal:
		return "DECIMAL(" + strconv.Itoa(t.Precision) + ", " + strconv.Itoa(t.Scale) + ")"
	case TypeArray:
		return "ARRAY<" + t.Elem.String() + ">"
	case TypeMap:
		return "MAP<" + t.Key.String() + ", " + t.Elem.String() + ">"
	case TypeStruct:
		parts := make([]string, len(t.Fields))
		for i, f := range t.Fields {
			parts[i] = "`" + f.Name.Name + "` " + f.Type.String()
		}
		return "STRUCT<" + strings.Join(parts, ", ") + ">"
	case TypeCustom:
		return t.Name.Name
	}
	return t.Kind.String()
}

var simpleTypes = map[string]TypeKind{
	"BOOLEAN": TypeBoolean, "INT": TypeInt, "INTEGER": TypeInt, "BIGINT": TypeBigint,
	"DOUBLE": TypeDouble, "STRING": TypeString, "VARCHAR": TypeString, "BYTES": TypeBytes,
	"DATE": TypeDate, "TIME": TypeTime, "TIMESTAMP": TypeTimestamp,
}

// parseType parses a type at the current token.
func (p *parser) parseType() (*Type, error) {
	leave, err := p.nest()
	if err != nil {
		return nil, err
	}
	defer leave()
	t := p.tok()
	switch {
	case t.Kind == TokIdent:
		if k, ok := simpleTypes[t.Value]; ok {
			p.i++
			// ksqlDB's grammar allows parameters (INTEGER_VALUE or STRING) on every base
			// type, e.g. VARCHAR(STRING); they mean nothing except for DECIMAL.
			if _, err := p.typeParams(); err != nil {
				return nil, err
			}
			return &Type{Kind: k, Pos: t.Pos}, nil
		}
		switch t.Value {
		case "DECIMAL":
			p.i++
			params, err := p.typeParams()
			if err != nil {
				return nil, err
			}
			if len(params) != 2 || params[0] < 0 || params[1] < 0 {
				return nil, errorf(t.Pos, "DECIMAL requires a precision and a scale: DECIMAL(p, s)")
			}
			return &Type{Kind: TypeDecimal, Pos: t.Pos, Precision: int(params[0]), Scale: int(params[1])}, nil
		case "ARRAY":
			p.i++
			if err := p.expectOp("<"); err != nil {
				return nil, err
			}
			el, err := p.parseType()
			if err != nil {
				return nil, err
			}
			if err := p.closeAngle(); err != nil {
				return nil, err
			}
			return &Type{Kind: TypeArray, Pos: t.Pos, Elem: el}, nil
		case "MAP":
			p.i++
			if err := p.expectOp("<"); err != nil {
				return nil, err
			}
			k, err := p.parseType()
			if err != nil {
				return nil, err
			}
			if err := p.expectOp(","); err != nil {
				return nil, err
			}
			v, err := p.parseType()
			if err != nil {
				return nil, err
			}
			if err := p.closeAngle(); err != nil {
				return nil, err
			}
			return &Type{Kind: TypeMap, Pos: t.Pos, Key: k, Elem: v}, nil
		case "STRUCT":
			p.i++
			if err := p.expectOp("<"); err != nil {
				return nil, err
			}
			st := &Type{Kind: TypeStruct, Pos: t.Pos}
			if p.tok().IsOp(">") {
				p.i++
				return st, nil
			}
			for {
				name, err := p.ident()
				if err != nil {
					return nil, err
				}
				ft, err := p.parseType()
				if err != nil {
					return nil, err
				}
				st.Fields = append(st.Fields, StructField{Name: name, Type: ft})
				if p.tok().IsOp(",") {
					p.i++
					continue
				}
				if err := p.closeAngle(); err != nil {
					return nil, err
				}
				return st, nil
			}
		}
		if reserved[t.Value] {
			return nil, p.unexpected("a type")
		}
		p.i++
		return &Type{Kind: TypeCustom, Pos: t.Pos, Name: Ident{Name: t.Value, Pos: t.Pos}}, nil
	case t.Kind == TokQuotedIdent:
		p.i++
		return &Type{Kind: TypeCustom, Pos: t.Pos, Name: Ident{Name: t.Value, Quoted: true, Pos: t.Pos}}, nil
	}
	return nil, p.unexpected("a type")
}

// closeAngle consumes a '>' that closes a type argument list; a '>=' or '>>' token never
// occurs since the lexer has no '>>' and '>=' cannot follow a type.
func (p *parser) closeAngle() error { return p.expectOp(">") }

// typeParams parses an optional "(param, ...)" after a base type name, where a parameter is
// an integer or the keyword STRING (returned as -1).
func (p *parser) typeParams() ([]int64, error) {
	if !p.acceptOp("(") {
		return nil, nil
	}
	var out []int64
	for {
		t := p.tok()
		switch {
		case t.Is("STRING"):
			p.i++
			out = append(out, -1)
		case t.Kind == TokNumber:
			n, err := p.intLit()
			if err != nil {
				return nil, err
			}
			out = append(out, n)
		default:
			return nil, p.syntaxError("Expecting {'STRING', INTEGER_VALUE}")
		}
		if !p.acceptOp(",") {
			return out, p.expectOp(")")
		}
	}
}
