package archtest

import (
	"bytes"
	"encoding/json"
	"os/exec"
	"strings"
	"testing"
)

const module = "github.com/ksqlgo/ksqlgo"

// allowed lists, per package (a prefix: "sql" covers sql/...), the packages of this module
// it may import. Imports point down only.
var allowed = map[string][]string{
	"cmd":               {"server", "sql", "dsl", "runtime", "statestore", "serde", "broker", "connectors"},
	"server":            {"sql", "dsl", "runtime", "statestore", "serde"},
	"sql":               {"sql", "dsl", "runtime", "statestore", "serde"},
	"dsl":               {"runtime", "statestore", "serde"},
	"runtime/ttd":       {"runtime", "statestore", "serde"},
	"runtime":           {"statestore", "serde"},
	"statestore":        {"serde"},
	"serde":             {},
	"broker":            {},
	"connectors":        {"connectors", "runtime", "statestore", "serde"},
	"examples":          {"sql", "dsl", "runtime", "statestore", "serde", "broker", "connectors"},
	"bench":             {"sql", "dsl", "runtime", "statestore", "serde", "broker", "connectors"},
	"internal/archtest": {},
}

// foreign lists module paths that only one package (prefix) may import.
var foreign = map[string]string{
	"github.com/dgraph-io/badger":         "statestore",
	"github.com/pingcap/tidb":             "sql/parser",
	"github.com/spf13/viper":              "cmd",
	"github.com/spf13/cobra":              "cmd",
	"github.com/spf13/pflag":              "cmd",
	"github.com/prometheus/client_golang": "cmd",
	"github.com/twmb/franz-go/pkg/kfake":  "broker",
}

// rule returns the most specific allow-list key for a package path relative to the module.
func rule(rel string) (string, bool) {
	best := ""
	for k := range allowed {
		if (rel == k || strings.HasPrefix(rel, k+"/")) && len(k) > len(best) {
			best = k
		}
	}
	return best, best != ""
}

func under(rel, prefix string) bool { return rel == prefix || strings.HasPrefix(rel, prefix+"/") }

func TestImportDirection(t *testing.T) {
	out, err := exec.Command("go", "list", "-json=ImportPath,Imports", module+"/...").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	dec := json.NewDecoder(bytes.NewReader(out))
	n := 0
	for dec.More() {
		var p struct {
			ImportPath string
			Imports    []string
		}
		if err := dec.Decode(&p); err != nil {
			t.Fatal(err)
		}
		n++
		rel := strings.TrimPrefix(strings.TrimPrefix(p.ImportPath, module), "/")
		key, ok := rule(rel)
		if !ok {
			t.Errorf("package %q has no layer: add it to allowed in %s", rel, "internal/archtest/layers_test.go")
			continue
		}
		for _, imp := range p.Imports {
			for mod, owner := range foreign {
				if strings.HasPrefix(imp, mod) && !under(rel, owner) {
					t.Errorf("%s imports %s: only %s may (foreign types stay in one package)", rel, imp, owner)
				}
			}
			if !strings.HasPrefix(imp, module+"/") {
				continue
			}
			irel := strings.TrimPrefix(imp, module+"/")
			okImp := false
			for _, a := range allowed[key] {
				if under(irel, a) {
					okImp = true
				}
			}
			if !okImp {
				t.Errorf("%s imports %s: imports must point down (%s may import %v)", rel, irel, key, allowed[key])
			}
		}
	}
	if n < 5 {
		t.Fatalf("go list found only %d packages", n)
	}
}
