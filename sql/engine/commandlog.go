package engine

import (
	"maps"
	"strings"

	"github.com/ksqlgo/ksqlgo/sql/parser"
)

// Command is a statement that defines the catalog or its queries (CREATE, CREATE ... AS
// SELECT, INSERT INTO ... SELECT, DROP, TERMINATE, ALTER, CREATE TYPE), as it ran: its
// text and the properties and variables in effect then.
type Command struct {
	Statement  string            `json:"statement"`
	Properties map[string]string `json:"properties,omitempty"`
	Variables  map[string]string `json:"variables,omitempty"`
	// Counter is the engine's query counter before the statement ran: a replay starts
	// from it, so that the statement's query gets the same id (and so the same consumer
	// group and state) whatever ran in between (push queries take numbers too).
	Counter int `json:"counter"`
}

// CommandLog keeps the commands an engine ran, in order, so that a restarted engine
// runs them again (Replay) and finds its catalog and its persistent queries as they were:
// ksqlDB's command topic. TopicCommandLog keeps them in a Kafka topic.
type CommandLog interface {
	// Append adds a command that ran.
	Append(c Command) error
	// Commands returns every command appended so far, in order; with an error, the ones
	// it could read.
	Commands() ([]Command, error)
}

// logged says whether a statement goes to the command log: the statements that change
// the catalog or its persistent queries (not data, session settings or reads).
func logged(st parser.Statement) bool {
	switch st.(type) {
	case *parser.CreateSource, *parser.CreateAsSelect, *parser.InsertSelect, *parser.Drop,
		*parser.Terminate, *parser.AlterSource, *parser.CreateType:
		return true
	}
	return false
}

// logCommand appends a statement that ran to the command log, unless it is being
// replayed from it.
func (e *Engine) logCommand(raw parser.RawStatement, st parser.Statement, counter int) error {
	if e.Commands == nil || e.replaying || !logged(st) {
		return nil
	}
	text := strings.TrimSpace(raw.Text)
	if !strings.HasSuffix(text, ";") {
		text += ";"
	}
	c := Command{Statement: text, Properties: maps.Clone(e.Props), Variables: maps.Clone(e.vars), Counter: counter}
	if err := e.Commands.Append(c); err != nil {
		return stmtErr("the statement ran but could not be written to the command log, so it is lost at restart: %v", err)
	}
	return nil
}

// Replay runs the commands of the command log again, in order, each with the properties
// and variables it ran with (the engine's own are restored afterwards): a restarted engine
// gets back its catalog and restarts its persistent queries, with the same query ids, so
// that they resume from their committed offsets and restored state. It deletes no topic
// (a DROP ... DELETE TOPIC already did, and the topic may have been created again since).
// A command that fails now (its topic is gone, say) is skipped; its error is returned
// with the others'.
func (e *Engine) Replay() (n int, errs []error) {
	if e.Commands == nil {
		return 0, nil
	}
	cmds, err := e.Commands.Commands()
	if err != nil {
		errs = append(errs, err)
	}
	props, vars := e.Props, e.vars
	e.replaying = true
	defer func() { e.Props, e.vars, e.replaying = props, vars, false }()
	for _, c := range cmds {
		e.Props, e.vars, e.counter = orEmpty(c.Properties), orEmpty(c.Variables), c.Counter
		raws, err := parser.Split(c.Statement)
		if err == nil && len(raws) == 1 {
			_, err = e.ExecuteRaw(raws[0])
		}
		if err != nil {
			errs = append(errs, stmtErr("replaying %q: %v", c.Statement, err))
			continue
		}
		n++
	}
	return n, errs
}

func orEmpty(m map[string]string) map[string]string {
	if m == nil {
		return map[string]string{}
	}
	return maps.Clone(m)
}
