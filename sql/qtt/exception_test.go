package qtt

import "testing"

func TestExpectedExceptionMatch(t *testing.T) {
	stmt := &ExpectedException{Type: "io.confluent.ksql.util.KsqlStatementException", Message: "cannot be resolved"}
	ksql := &ExpectedException{Type: "io.confluent.ksql.util.KsqlException", Message: "Invalid"}
	msgOnly := &ExpectedException{Message: "boom"}
	tests := []struct {
		name    string
		e       *ExpectedException
		errType string
		msg     string
		strict  bool
		lenient bool
	}{
		{"full name", stmt, "io.confluent.ksql.util.KsqlStatementException", "SELECT column 'BOB' cannot be resolved.", true, true},
		{"simple name", stmt, "KsqlStatementException", "x cannot be resolved", true, true},
		{"message not contained", stmt, "KsqlStatementException", "other", false, true},
		{"superclass is not a subclass", stmt, "KsqlException", "cannot be resolved", false, true},
		{"subclass of KsqlException", ksql, "KsqlStatementException", "Invalid value", true, true},
		{"parse failure is a KsqlException", ksql, "io.confluent.ksql.parser.exception.ParseFailedException", "Invalid", true, true},
		{"unrelated class", ksql, "StreamsException", "Invalid", false, true},
		{"no type: any class", msgOnly, "StreamsException", "a boom b", true, true},
		{"no error at all", stmt, "", "", false, false},
		{"nil expectation", nil, "KsqlException", "x", false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.e.Match(tt.errType, tt.msg); got != tt.strict {
				t.Errorf("Match = %v, want %v", got, tt.strict)
			}
			if got := tt.e.MatchLenient(tt.errType, tt.msg); got != tt.lenient {
				t.Errorf("MatchLenient = %v, want %v", got, tt.lenient)
			}
		})
	}
	cause := &ExpectedException{Cause: "java.lang.ArithmeticException", CauseMessage: "overflow"}
	if !cause.MatchCause("ArithmeticException", "long overflow") || cause.MatchCause("IllegalStateException", "overflow") {
		t.Error("MatchCause")
	}
	if SimpleClassName("a.b.Outer$Inner") != "Inner" {
		t.Error("SimpleClassName of a nested class")
	}
}
