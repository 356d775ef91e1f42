package engine

import (
	"maps"
	"strconv"
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
	// ID identifies the command (the engine that ran it first, and a sequence number), so
	// that an engine following the log does not run its own commands twice.
	ID string `json:"id,omitempty"`
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
	e.cmdSeq++
	c := Command{Statement: text, Properties: maps.Clone(e.Props), Variables: maps.Clone(e.vars), Counter: counter,
		ID: e.instance + "-" + strconv.Itoa(e.cmdSeq)}
	if e.own == nil {
		e.own = map[string]bool{}
	}
	e.own[c.ID] = true
	if err := e.Commands.Append(c); err != nil {
		return stmtErr("the statement ran but could not be written to the command log, so it is lost at restart: %v", err)
	}
	return nil
}

// Sync runs the commands of the command log it has not run yet, in order, each with the
// properties and variables it ran with (the engine's own are restored afterwards). At
// start that is every command: a restarted engine gets back its catalog and restarts its
// persistent queries with the same query ids, so that they resume from their committed
// offsets and restored state. Later it is the commands other engines (servers sharing the
// cluster) appended since: call it periodically to follow them; the engine's own commands
// are skipped. It deletes no topic (a DROP ... DELETE TOPIC already did, and the topic
// may have been created again since). A command that fails now (its topic is gone, say)
// is skipped; its error is returned with the others'.
func (e *Engine) Sync() (n int, errs []error) {
	if e.Commands == nil {
		return 0, nil
	}
	cmds, err := e.Commands.Commands()
	if err != nil {
		errs = append(errs, err)
	}
	if e.applied >= len(cmds) {
		return 0, errs
	}
	props, vars, counter := e.Props, e.vars, e.counter
	e.replaying = true
	defer func() { e.Props, e.vars, e.replaying = props, vars, false }()
	for _, c := range cmds[e.applied:] {
		if e.own[c.ID] {
			continue
		}
		e.Props, e.vars, e.counter = orEmpty(c.Properties), orEmpty(c.Variables), c.Counter
		raws, err := parser.Split(c.Statement)
		if err == nil && len(raws) == 1 {
			_, err = e.ExecuteRaw(raws[0])
		}
		counter = max(counter, e.counter) // no later query may take a number it used
		if err != nil {
			errs = append(errs, stmtErr("replaying %q: %v", c.Statement, err))
			continue
		}
		n++
	}
	e.applied = len(cmds)
	e.counter = counter
	return n, errs
}

func orEmpty(m map[string]string) map[string]string {
	if m == nil {
		return map[string]string{}
	}
	return maps.Clone(m)
}
