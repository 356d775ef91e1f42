package parser

import (
	"fmt"
	"strings"
)

// render prints a statement in a compact canonical form for golden tests.
func render(s Statement) string {
	switch s := s.(type) {
	case *CreateSource:
		var b strings.Builder
		b.WriteString("CREATE ")
		if s.OrReplace {
			b.WriteString("OR REPLACE ")
		}
		if s.Source {
			b.WriteString("SOURCE ")
		}
		b.WriteString(s.Kind.String() + " ")
		if s.IfNotExists {
			b.WriteString("IF NOT EXISTS ")
		}
		b.WriteString(rid(s.Name))
		if s.Columns != nil {
			b.WriteString(" (" + rcols(s.Columns) + ")")
		}
		b.WriteString(rprops(s.Props))
		return b.String()
	case *CreateAsSelect:
		return fmt.Sprintf("CREATE%s %s%s %s%s AS {%s @%s}", flag(s.OrReplace, " OR REPLACE"), s.Kind,
			flag(s.IfNotExists, " IF NOT EXISTS"), rid(s.Name), rprops(s.Props), s.SelectText, s.SelectPos)
	case *InsertValues:
		var cols []string
		for _, c := range s.Columns {
			cols = append(cols, rid(c))
		}
		var vals []string
		for _, v := range s.Values {
			vals = append(vals, rexpr(v))
		}
		return fmt.Sprintf("INSERT INTO %s (%s) VALUES (%s)", rid(s.Target), strings.Join(cols, ", "), strings.Join(vals, ", "))
	case *InsertSelect:
		return fmt.Sprintf("INSERT INTO %s%s {%s @%s}", rid(s.Target), rprops(s.Props), s.SelectText, s.SelectPos)
	case *Query:
		return fmt.Sprintf("QUERY {%s @%s}", s.SelectText, s.SelectPos)
	case *Drop:
		k := [...]string{"STREAM", "TABLE", "TYPE"}[s.Kind]
		return fmt.Sprintf("DROP %s%s %s%s", k, flag(s.IfExists, " IF EXISTS"), rid(s.Name), flag(s.DeleteTopic, " DELETE TOPIC"))
	case *AlterSource:
		return fmt.Sprintf("ALTER %s %s ADD %s", s.Kind, rid(s.Name), rcols(s.Columns))
	case *Show:
		return fmt.Sprintf("SHOW%s %s%s", flag(s.All, " ALL"), s.Kind, flag(s.Extended, " EXTENDED"))
	case *Describe:
		return fmt.Sprintf("DESCRIBE %s%s", rid(s.Name), flag(s.Extended, " EXTENDED"))
	case *DescribeAll:
		return fmt.Sprintf("DESCRIBE %sS%s", s.Kind, flag(s.Extended, " EXTENDED"))
	case *DescribeFunction:
		return "DESCRIBE FUNCTION " + rid(s.Name)
	case *Explain:
		if s.Statement != nil {
			return "EXPLAIN " + render(s.Statement)
		}
		return "EXPLAIN " + s.QueryID
	case *Terminate:
		if s.All {
			return "TERMINATE ALL"
		}
		return "TERMINATE " + s.QueryID
	case *SetProperty:
		return fmt.Sprintf("SET %q = %q", s.Name, s.Value)
	case *UnsetProperty:
		return fmt.Sprintf("UNSET %q", s.Name)
	case *Define:
		return fmt.Sprintf("DEFINE %s = %q", s.Name, s.Value)
	case *Undefine:
		return "UNDEFINE " + s.Name
	case *CreateType:
		return fmt.Sprintf("CREATE TYPE%s %s AS %s", flag(s.IfNotExists, " IF NOT EXISTS"), rid(s.Name), s.Type)
	case *Print:
		return fmt.Sprintf("PRINT %q%s INTERVAL %d LIMIT %d", s.Topic, flag(s.FromBeginning, " FROM BEGINNING"), s.Interval, s.Limit)
	case *Assert:
		k := [...]string{"TOPIC", "SCHEMA"}[s.Kind]
		return fmt.Sprintf("ASSERT%s %s %q ID %d%s TIMEOUT %q", flag(s.NotExists, " NOT EXISTS"), k, s.Name, s.ID, rprops(s.Props), s.Timeout)
	}
	return fmt.Sprintf("?%T", s)
}

func flag(b bool, s string) string {
	if b {
		return s
	}
	return ""
}

func rid(id Ident) string {
	if id.Quoted {
		return "`" + id.Name + "`"
	}
	return id.Name
}

func rcols(cols []ColumnDef) string {
	parts := make([]string, len(cols))
	for i, c := range cols {
		parts[i] = rid(c.Name) + " " + c.Type.String()
		switch c.Constraint {
		case ColKey:
			parts[i] += " KEY"
		case ColPrimaryKey:
			parts[i] += " PRIMARY KEY"
		case ColHeaders:
			parts[i] += " HEADERS"
		case ColHeader:
			parts[i] += fmt.Sprintf(" HEADER(%q)", c.HeaderKey)
		}
	}
	return strings.Join(parts, ", ")
}

func rprops(props []Property) string {
	if props == nil {
		return ""
	}
	parts := make([]string, len(props))
	for i, p := range props {
		parts[i] = rid(p.Name) + "=" + rexpr(p.Value)
	}
	return " WITH (" + strings.Join(parts, ", ") + ")"
}

func rexpr(e Expr) string {
	switch e := e.(type) {
	case *Literal:
		if e.Kind == LitString {
			return fmt.Sprintf("%q", e.Text)
		}
		return e.Kind.String() + ":" + e.Text
	case *ArrayExpr:
		return "ARRAY[" + rexprs(e.Elems) + "]"
	case *MapExpr:
		parts := make([]string, len(e.Entries))
		for i, en := range e.Entries {
			parts[i] = rexpr(en.Key) + ":=" + rexpr(en.Value)
		}
		return "MAP(" + strings.Join(parts, ", ") + ")"
	case *StructExpr:
		parts := make([]string, len(e.Fields))
		for i, f := range e.Fields {
			parts[i] = rid(f.Name) + ":=" + rexpr(f.Value)
		}
		return "STRUCT(" + strings.Join(parts, ", ") + ")"
	case *Call:
		if e.Star {
			return rid(e.Name) + "(*)"
		}
		return rid(e.Name) + "(" + rexprs(e.Args) + ")"
	case *Cast:
		return "CAST(" + rexpr(e.Expr) + " AS " + e.Type.String() + ")"
	case *RawExpr:
		return "RAW{" + e.Text + "}"
	}
	return fmt.Sprintf("?%T", e)
}

func rexprs(es []Expr) string {
	parts := make([]string, len(es))
	for i, e := range es {
		parts[i] = rexpr(e)
	}
	return strings.Join(parts, ", ")
}
