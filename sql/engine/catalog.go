package engine

import (
	"sort"
	"strings"

	"github.com/ksqlgo/ksqlgo/sql/types"
)

// ColumnKind says where a source column lives.
type ColumnKind int

// Column kinds.
const (
	ValueCol ColumnKind = iota
	KeyCol
	HeadersCol // all headers: ARRAY<STRUCT<KEY STRING, VALUE BYTES>>
	HeaderCol  // one header's value (BYTES)
)

// Column is a column of a source.
type Column struct {
	types.Column
	Kind      ColumnKind
	HeaderKey string // HeaderCol
}

// WindowInfo describes a windowed key.
type WindowInfo struct {
	Type string // "TUMBLING", "HOPPING", "SESSION"
	Size int64  // ms; 0 for SESSION
}

// Source is a stream or a table in the catalog.
type Source struct {
	Name        string
	Table       bool
	Columns     []Column // in declaration order: key columns first
	Topic       string
	KeyFormat   string
	ValueFormat string
	// WrapSingle is nil when not set (format default).
	WrapSingle   *bool
	Delimiter    string // VALUE_DELIMITER ("" = ",")
	KeyDelimiter string // KEY_DELIMITER ("" = ",")
	Partitions   int
	// PartitionsKnown: Partitions was given (PARTITIONS=), directly or by the query's
	// source, rather than assumed; joins check co-partitioning only then.
	PartitionsKnown bool
	Window          *WindowInfo
	TimestampColumn string
	TimestampFormat string
	ReadOnly        bool // CREATE SOURCE
	SQL             string
	// Query is the id of the query writing to this source ("" for a declared source).
	Query string
}

// Kind returns "STREAM" or "TABLE".
func (s *Source) Kind() string {
	if s.Table {
		return "TABLE"
	}
	return "STREAM"
}

// KeyColumns returns the key columns in order.
func (s *Source) KeyColumns() []types.Column { return s.columns(KeyCol) }

// ValueColumns returns the value columns in order.
func (s *Source) ValueColumns() []types.Column { return s.columns(ValueCol) }

func (s *Source) columns(k ColumnKind) []types.Column {
	var out []types.Column
	for _, c := range s.Columns {
		if c.Kind == k {
			out = append(out, c.Column)
		}
	}
	return out
}

// HasHeaders says whether the source declares header columns.
func (s *Source) HasHeaders() bool {
	for _, c := range s.Columns {
		if c.Kind == HeadersCol || c.Kind == HeaderCol {
			return true
		}
	}
	return false
}

// Column returns the column called name, or nil.
func (s *Source) Column(name string) *Column {
	for i := range s.Columns {
		if s.Columns[i].Name == name {
			return &s.Columns[i]
		}
	}
	return nil
}

// Schema renders the columns as ksqlDB's post-conditions and DESCRIBE do:
// "`ID` BIGINT KEY, `NAME` STRING" (KEY / PRIMARY KEY, HEADERS, HEADER('k')).
func (s *Source) Schema() string {
	parts := make([]string, len(s.Columns))
	for i, c := range s.Columns {
		p := "`" + c.Name + "` " + c.Type.String()
		switch c.Kind {
		case KeyCol:
			if s.Table {
				p += " PRIMARY KEY"
			} else {
				p += " KEY"
			}
		case HeadersCol:
			p += " HEADERS"
		case HeaderCol:
			p += " HEADER('" + c.HeaderKey + "')"
		}
		parts[i] = p
	}
	return strings.Join(parts, ", ")
}

// Catalog holds the sources, custom types and queries of a session.
type Catalog struct {
	sources map[string]*Source
	types   map[string]*types.Type
}

// NewCatalog returns an empty catalog.
func NewCatalog() *Catalog {
	return &Catalog{sources: map[string]*Source{}, types: map[string]*types.Type{}}
}

// Source returns the source called name (exact), or nil.
func (c *Catalog) Source(name string) *Source { return c.sources[name] }

// Sources returns every source sorted by name.
func (c *Catalog) Sources() []*Source {
	out := make([]*Source, 0, len(c.sources))
	for _, s := range c.sources {
		out = append(out, s)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

func (c *Catalog) put(s *Source)                { c.sources[s.Name] = s }
func (c *Catalog) remove(name string)           { delete(c.sources, name) }
func (c *Catalog) Type(name string) *types.Type { return c.types[name] }
