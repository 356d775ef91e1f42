package main

import (
	"regexp"
	"testing"
)

func TestVersion(t *testing.T) {
	inTempDir(t)
	writeFile(t, configFileName, "bad: key\n") // version reads no config
	out, err := runCmd(t, "version")
	if err != nil {
		t.Fatal(err)
	}
	if !regexp.MustCompile(`^ksqlgo \S+ \(go \d+\.\d+\S*\)\n$`).MatchString(out) {
		t.Fatalf("ksqlgo version printed %q", out)
	}

	old := version
	version = "1.2.3"
	t.Cleanup(func() { version = old })
	if out, _ := runCmd(t, "version"); !regexp.MustCompile(`^ksqlgo 1\.2\.3 \(go `).MatchString(out) {
		t.Fatalf("with -X main.version=1.2.3, ksqlgo version printed %q", out)
	}
}

func TestUnknownCommand(t *testing.T) {
	inTempDir(t)
	if _, err := runCmd(t, "frobnicate"); err == nil {
		t.Fatal("ksqlgo frobnicate succeeded")
	}
}
