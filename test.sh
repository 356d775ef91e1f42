#!/usr/bin/env bash
# The test suite (README's test command; CI runs it from .ci/run): every package's tests,
# then short fuzz runs of the untrusted-input front ends - the SQL parser, the expression
# compiler and the value formats - so that CI searches a little for panics on every change.
# FUZZTIME=30s ./test.sh fuzzes longer; FUZZTIME=0 skips the fuzz runs.
set -euo pipefail
cd "$(dirname "$0")"

go test ./...

fuzztime=${FUZZTIME:-5s}
if [ "$fuzztime" != "0" ]; then
  for target in sql/parser:FuzzParse sql/expr:FuzzCompile sql/format:FuzzJSONDecode sql/format:FuzzJSONPrune sql/format:FuzzDelimitedDecode; do
    pkg=${target%%:*} fn=${target##*:}
    go test -run '^$' -fuzz "^${fn}\$" -fuzztime "$fuzztime" "./$pkg"
  done
fi
