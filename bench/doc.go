// Command bench measures ksqlgo against a raw franz-go baseline on the embedded broker, in
// the same process and the same run, and prints records/s and the ratio.
//
//	go run ./bench            # a table
//	go run ./bench -json      # one JSON object per line
//	go run ./bench -v         # also every round of the alternated benchmarks, on stderr
//	go test -run '^$' -bench . ./bench/...
//
// Each line is {"name", "records_per_sec", "baseline", "baseline_records_per_sec", "ratio"}
// (ratio = records_per_sec / baseline_records_per_sec); memory lines have "mib" instead of
// rates, timings "ms". Absolute numbers vary with the
// machine and its load; ratios are what to compare between commits.
package main
