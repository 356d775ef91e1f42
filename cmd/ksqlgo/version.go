package main

import (
	"fmt"
	goruntime "runtime"
	"runtime/debug"
	"strings"

	"github.com/spf13/cobra"
)

// version is ksqlgo's version, set at build time with
// -ldflags "-X main.version=1.2.3". When empty, the module version from the
// build info is used (set by go install module@version), else "dev".
var version string

// versionString returns the version shown by ksqlgo version.
func versionString() string {
	if version != "" {
		return version
	}
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		return bi.Main.Version
	}
	return "dev"
}

func (a *app) versionCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print the version of ksqlgo and of Go it was built with",
		Args:  cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			_, err := fmt.Fprintf(a.stdout, "ksqlgo %s (go %s)\n", versionString(), strings.TrimPrefix(goruntime.Version(), "go"))
			return err
		},
	}
}
