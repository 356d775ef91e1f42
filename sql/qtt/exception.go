package qtt

import "strings"

// ExpectedException is a test's "expectedException" (README 1.10): the test passes only
// if running it fails with a matching error. Empty fields are not checked.
type ExpectedException struct {
	// Type is the Java class name, e.g. "io.confluent.ksql.util.KsqlStatementException".
	Type string `json:"type"`
	// Message must be a substring of the error message.
	Message string `json:"message"`
	// Cause is the Java class name of the error's cause.
	Cause string `json:"cause"`
	// CauseMessage must be a substring of the cause's message.
	CauseMessage string `json:"causeMessage"`
}

// javaParents maps a ksqlDB exception's simple class name to its superclass, for the
// classes a ksqlgo engine reports; anything else only matches itself.
var javaParents = map[string]string{
	"KsqlStatementException": "KsqlException",
	"ParseFailedException":   "KsqlException",
	"KsqlException":          "RuntimeException",
	"StreamsException":       "KafkaException",
	"KafkaException":         "RuntimeException",
	"RuntimeException":       "Exception",
}

// SimpleClassName returns the part of a Java class name after the last '.' (and '$').
func SimpleClassName(name string) string {
	name = strings.TrimSpace(name)
	if i := strings.LastIndexAny(name, ".$"); i >= 0 {
		return name[i+1:]
	}
	return name
}

// IsSubclass reports whether Java class actual is class expected or one of its
// subclasses; both may be simple or fully qualified names and are compared on their
// simple names. KsqlStatementException and ParseFailedException count as
// KsqlException subclasses.
func IsSubclass(actual, expected string) bool {
	a, e := SimpleClassName(actual), SimpleClassName(expected)
	for a != "" {
		if a == e {
			return true
		}
		a = javaParents[a]
	}
	return false
}

// Match reports whether an error of Java class errType (simple or full name) with
// message msg satisfies e strictly: the class is Type or a subclass, and Message is a
// substring of msg. The cause is not checked (see MatchCause). A nil e matches nothing.
func (e *ExpectedException) Match(errType, msg string) bool {
	if e == nil {
		return false
	}
	if e.Type != "" && !IsSubclass(errType, e.Type) {
		return false
	}
	return strings.Contains(msg, e.Message)
}

// MatchLenient is the lenient scoring mode of README 1.10: any error raised by the
// expected statement passes, whatever its class and message. It reports whether an error
// was raised at all (errType or msg non-empty); the runner checks that it came from the
// last statement. A nil e matches nothing.
func (e *ExpectedException) MatchLenient(errType, msg string) bool {
	return e != nil && (errType != "" || msg != "")
}

// MatchCause reports whether a cause of class causeType with message causeMsg satisfies
// Cause and CauseMessage (true when e sets neither).
func (e *ExpectedException) MatchCause(causeType, causeMsg string) bool {
	if e == nil {
		return false
	}
	if e.Cause != "" && SimpleClassName(causeType) != SimpleClassName(e.Cause) {
		return false
	}
	return strings.Contains(causeMsg, e.CauseMessage)
}
