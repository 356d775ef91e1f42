package conformance

import (
	"strings"
	"testing"

	"github.com/ksqlgo/ksqlgo/sql/engine"
	"github.com/ksqlgo/ksqlgo/sql/qtt"
)

// TestCheckPostSources: the post.sources check accepts a catalog that matches (type
// synonyms, KEY vs PRIMARY KEY) and names what differs otherwise.
func TestCheckPostSources(t *testing.T) {
	e := engine.New(&harness{topics: map[string][]topicRecord{}})
	if _, err := e.ExecuteScript(`CREATE TABLE T (ID INT PRIMARY KEY, NAME VARCHAR) WITH (KAFKA_TOPIC='t', VALUE_FORMAT='JSON');`); err != nil {
		t.Fatal(err)
	}
	yes := true
	ok := qtt.Case{Post: &qtt.Post{Sources: []qtt.PostSource{{Name: "T", Type: "table", Schema: "ID INTEGER KEY, NAME STRING", ValueFormat: "JSON"}}}}
	if err := checkPostSources(ok, e.Catalog); err != nil {
		t.Fatalf("matching catalog: %v", err)
	}
	bad := qtt.Case{Post: &qtt.Post{Sources: []qtt.PostSource{
		{Name: "T", Type: "stream", Schema: "ID BIGINT KEY, NAME STRING", ValueFormat: "DELIMITED", IsSource: &yes},
		{Name: "MISSING", Type: "table"},
	}}}
	err := checkPostSources(bad, e.Catalog)
	if err == nil {
		t.Fatal("a differing catalog passed")
	}
	for _, want := range []string{"T is a TABLE, want stream", "want `ID` BIGINT KEY", "value format JSON, want DELIMITED", "CREATE SOURCE false, want true", "source MISSING does not exist"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("%v lacks %q", err, want)
		}
	}
}
