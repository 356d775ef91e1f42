package qtt

import (
	"os"
	"path/filepath"
	"testing"
)

func TestLoadRFileExpand(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "pulls.json")
	doc := `{"tests": [
	  {"name": "t", "format": ["JSON", "AVRO"], // comment
	   "statements": ["CREATE STREAM S (K INT KEY, V INT) WITH (kafka_topic='s', value_format='{FORMAT}');", "SELECT * FROM S;"],
	   "inputs": [{"topic": "s", "key": 1, "value": {"V": 2}}],
	   "inputConditions": {"waitForActivePushQuery": true},
	   "responses": [{"admin": {"@type": "currentStatus"}}, {"query": []}]},
	  {"name": "e", "statements": ["SELECT * FROM X;"], "expectedError": {"message": "m", "status": 400}},
	  {"name": "p", "testPullWithProtoFormat": true, "statements": ["SELECT * FROM X;"], "responses": []}
	]}`
	if err := os.WriteFile(p, []byte(doc), 0o644); err != nil {
		t.Fatal(err)
	}
	f, err := LoadRFile(p)
	if err != nil {
		t.Fatal(err)
	}
	cases := ExpandR(f)
	if len(cases) != 4 {
		t.Fatalf("%d cases, want 4", len(cases))
	}
	c := cases[0]
	if c.Name != "pulls - t - JSON" || c.NumAdmin != 1 || !c.WaitForPush || !c.Core || c.Statements[0] != "CREATE STREAM S (K INT KEY, V INT) WITH (kafka_topic='s', value_format='JSON');" {
		t.Errorf("case 0 = %+v", c)
	}
	if cases[1].Core {
		t.Errorf("AVRO case is core")
	}
	if e := cases[2]; e.ExpectedError == nil || e.ExpectedError.Status != 400 || e.NumAdmin != 0 || !e.Core {
		t.Errorf("case 2 = %+v", e)
	}
	if cases[3].Core || cases[3].NonCoreReason != "rule 8: testPullWithProtoFormat" {
		t.Errorf("case 3 core = %v (%s)", cases[3].Core, cases[3].NonCoreReason)
	}
	if ok, err := IsRQTTFile(p); err != nil || !ok {
		t.Errorf("IsRQTTFile = %v, %v", ok, err)
	}
}

func TestLoadRFileRejectsAdminAfterQuery(t *testing.T) {
	p := filepath.Join(t.TempDir(), "bad.json")
	doc := `{"tests": [{"name": "t", "statements": ["SELECT * FROM S;", "CREATE STREAM X AS SELECT * FROM S;"], "responses": []}]}`
	if err := os.WriteFile(p, []byte(doc), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := LoadRFile(p); err == nil {
		t.Fatal("no error for an admin statement after a query")
	}
}
