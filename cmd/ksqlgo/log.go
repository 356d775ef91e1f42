package main

import (
	"fmt"
	"io"
	"log/slog"
)

// logLevels are the values log.level accepts, in order of verbosity.
var logLevels = []string{"debug", "info", "warn", "error"}

// parseLogLevel maps a log.level value to a slog level.
func parseLogLevel(s string) (slog.Level, error) {
	switch s {
	case "debug":
		return slog.LevelDebug, nil
	case "info":
		return slog.LevelInfo, nil
	case "warn":
		return slog.LevelWarn, nil
	case "error":
		return slog.LevelError, nil
	}
	return 0, fmt.Errorf("unknown log level %q", s)
}

// newLogger returns a text logger writing to w at the given log.level,
// which must be one of logLevels (Config validated it).
func newLogger(level string, w io.Writer) (*slog.Logger, error) {
	l, err := parseLogLevel(level)
	if err != nil {
		return nil, err
	}
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: l})), nil
}
