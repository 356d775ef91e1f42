package engine_test

import (
	"strings"
	"testing"

	"github.com/ksqlgo/ksqlgo/sql/functions"
)

// TestUserFunction: a user scalar function registered on one engine is used by a
// persistent query, is not visible to other engines, and cannot shadow a built-in.
func TestUserFunction(t *testing.T) {
	e, r := newEngine(t)
	mask := &functions.Scalar{Name: "MASK_CARD", Description: "keeps the last 4 characters",
		Bind: functions.Overloads("MASK_CARD", functions.Overload{Params: []string{"STRING"}, Returns: "STRING", NullOnNull: true,
			Impl: func(args []any) (any, error) {
				s := args[0].(string)
				return strings.Repeat("*", max(0, len(s)-4)) + s[max(0, len(s)-4):], nil
			}})}
	if err := e.RegisterScalar(mask); err != nil {
		t.Fatal(err)
	}
	exec(t, e, `
		CREATE STREAM p (id STRING KEY, card STRING) WITH (KAFKA_TOPIC='p', VALUE_FORMAT='JSON');
		CREATE STREAM masked AS SELECT id, MASK_CARD(card) AS card FROM p;
		INSERT INTO p (id, card) VALUES ('a', '4111222233334444');
		INSERT INTO p (id, card) VALUES ('b', NULL);`)
	got := strings.Join(values(t, r, "MASKED"), "\n")
	want := `a={"CARD":"************4444"}` + "\n" + `b={"CARD":null}`
	if got != want {
		t.Fatalf("got %s, want %s", got, want)
	}
	if _, err := e.ExecuteScript(`CREATE STREAM bad AS SELECT id, MASK_CARD(1) AS c FROM p;`); err == nil {
		t.Fatal("MASK_CARD(INT) was accepted")
	}
	other, _ := newEngine(t)
	exec(t, other, `CREATE STREAM p (id STRING KEY, card STRING) WITH (KAFKA_TOPIC='p', VALUE_FORMAT='JSON');`)
	if _, err := other.ExecuteScript(`CREATE STREAM m AS SELECT id, MASK_CARD(card) AS c FROM p;`); err == nil {
		t.Fatal("another engine sees the user function")
	}
	if err := e.RegisterScalar(&functions.Scalar{Name: "UCASE", Bind: mask.Bind}); err == nil {
		t.Fatal("a user function replaced the built-in UCASE")
	}
}
