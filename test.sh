#!/usr/bin/env bash
# The test suite (README's test command; CI runs it from .ci/run): every package's tests,
# then short fuzz runs of the untrusted-input front ends - the SQL parser, the expression
# compiler and the value formats - so that CI searches a little for panics on every change.
# The default is a count of inputs, not a duration: with -fuzztime=5s the Go toolchain
# sometimes fails a clean run with "context deadline exceeded" when the deadline falls while a
# worker minimises a new input (seen in CI on FuzzParse); a count sets no deadline.
# FUZZTIME=30s or FUZZTIME=200000x ./test.sh fuzzes longer; FUZZTIME=0 skips the fuzz runs.
set -euo pipefail
cd "$(dirname "$0")"

go test ./...

fuzztime=${FUZZTIME:-20000x}
if [ "$fuzztime" != "0" ]; then
  for target in sql/parser:FuzzParse sql/expr:FuzzCompile sql/format:FuzzJSONDecode sql/format:FuzzJSONPrune sql/format:FuzzDelimitedDecode; do
    pkg=${target%%:*} fn=${target##*:}
    go test -run '^$' -fuzz "^${fn}\$" -fuzztime "$fuzztime" "./$pkg"
  done
fi
