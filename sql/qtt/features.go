package qtt

import (
	"regexp"
	"slices"
	"strings"
)

// FeatureOrder lists the feature-class ids in the row order of README 4.1.
var FeatureOrder = []string{
	"stateless", "stateless-plain", "where", "predicates",
	"scalar-fn", "string-fn", "math-fn", "datetime-fn", "arraymap-fn", "json-fn", "lambda-fn",
	"cast", "case", "arithmetic",
	"join-ss", "join-st", "join-tt", "join-fk", "join-nway",
	"group-by", "having", "window-tumbling", "window-hopping", "window-session", "emit-final",
	"windowed-source", "windowed-records", "partition-by", "insert-select", "insert-values",
	"table-source", "tombstones", "nulls", "structs", "arrays", "maps",
	"rowtime", "rowpartition-offset", "windowbounds", "datetime-types", "ts-extraction",
	"decimal", "bytes", "headers", "multi-col-keys", "table-fn",
	"fmt-json", "fmt-kafka", "fmt-kafka-default", "fmt-delimited", "fmt-none",
	"expected-error",
}

// FeatureNames maps each feature-class id to its row title in README 4.1.
var FeatureNames = map[string]string{
	"stateless":           "Filter/projection (stateless SELECT: no join, GROUP BY, window, PARTITION BY, table function)",
	"stateless-plain":     "of which plain (no function call, CAST, CASE or arithmetic)",
	"where":               "WHERE clause (any query)",
	"predicates":          "Predicates: IN, BETWEEN, LIKE, IS [NOT] NULL, IS [NOT] DISTINCT FROM",
	"scalar-fn":           "Scalar functions (any built-in)",
	"string-fn":           "string functions (incl. URL_*)",
	"math-fn":             "math functions",
	"datetime-fn":         "date/time functions",
	"arraymap-fn":         "array/map functions",
	"json-fn":             "JSON functions",
	"lambda-fn":           "lambda functions (TRANSFORM/FILTER/REDUCE)",
	"cast":                "CAST",
	"case":                "CASE",
	"arithmetic":          "Arithmetic operators (+ - * / %)",
	"join-ss":             "Join: stream-stream",
	"join-st":             "Join: stream-table",
	"join-tt":             "Join: table-table (primary key)",
	"join-fk":             "Join: foreign-key (table-table)",
	"join-nway":           "Join: n-way (more than one JOIN in a query)",
	"group-by":            "GROUP BY aggregation",
	"having":              "HAVING",
	"window-tumbling":     "Window: tumbling",
	"window-hopping":      "Window: hopping",
	"window-session":      "Window: session",
	"emit-final":          "EMIT FINAL (suppression)",
	"windowed-source":     "Windowed source (WINDOW_TYPE=...)",
	"windowed-records":    "Records carrying a window (expected windowed keys)",
	"partition-by":        "PARTITION BY",
	"insert-select":       "INSERT INTO ... SELECT",
	"insert-values":       "INSERT INTO ... VALUES",
	"table-source":        "Table source (CREATE TABLE with columns)",
	"tombstones":          "Tombstones (records with null value in inputs/outputs)",
	"nulls":               "NULL handling in SQL (NULL literal, IS NULL, COALESCE, IFNULL, NULLIF)",
	"structs":             "Structs (STRUCT type/constructor, -> dereference)",
	"arrays":              "Arrays (ARRAY type/constructor, [i] index)",
	"maps":                "Maps (MAP type/constructor)",
	"rowtime":             "ROWTIME",
	"rowpartition-offset": "ROWPARTITION / ROWOFFSET",
	"windowbounds":        "WINDOWSTART / WINDOWEND",
	"datetime-types":      "TIMESTAMP / DATE / TIME column types",
	"ts-extraction":       "Timestamp extraction (WITH TIMESTAMP=..., TIMESTAMP_FORMAT=...)",
	"decimal":             "DECIMAL",
	"bytes":               "BYTES",
	"headers":             "Headers (HEADERS/HEADER columns, record headers)",
	"multi-col-keys":      "Multi-column or struct keys in records",
	"table-fn":            "Table functions (EXPLODE, CUBE_EXPLODE)",
	"fmt-json":            "Format JSON named",
	"fmt-kafka":           "Format KAFKA named explicitly",
	"fmt-kafka-default":   "Format KAFKA used as default key format",
	"fmt-delimited":       "Format DELIMITED",
	"fmt-none":            "Format NONE",
	"expected-error":      "Expected-error test (expectedException)",
}

// Function groups after ksqlDB's documented scalar-function sections.
var (
	stringFns = fnSet(`ASCII CHR CONCAT CONCAT_WS ELT ENCODE FIELD FROM_BYTES INITCAP INSTR LCASE LEN
		LPAD MASK MASK_KEEP_LEFT MASK_KEEP_RIGHT MASK_LEFT MASK_RIGHT MD5 REGEXP_EXTRACT
		REGEXP_EXTRACT_ALL REGEXP_REPLACE REGEXP_SPLIT_TO_ARRAY REPLACE RPAD SPLIT SPLIT_TO_MAP
		SUBSTRING TO_BYTES TRIM UCASE UUID URL_DECODE_PARAM URL_ENCODE_PARAM URL_EXTRACT_FRAGMENT
		URL_EXTRACT_HOST URL_EXTRACT_PARAMETER URL_EXTRACT_PATH URL_EXTRACT_PORT
		URL_EXTRACT_PROTOCOL URL_EXTRACT_QUERY`)
	mathFns = fnSet(`ABS ACOS ASIN ATAN ATAN2 CBRT CEIL COS COSH COT DEGREES EXP FLOOR GEO_DISTANCE
		GREATEST LEAST LN LOG PI POWER RADIANS RANDOM ROUND SIGN SIN SINH SQRT TAN TANH TRUNC`)
	datetimeFns = fnSet(`CONVERT_TZ DATEADD DATESUB DATETOSTRING FORMAT_DATE FORMAT_TIME
		FORMAT_TIMESTAMP FROM_DAYS FROM_UNIXTIME PARSE_DATE PARSE_TIME PARSE_TIMESTAMP
		STRINGTODATE STRINGTOTIMESTAMP TIMEADD TIMESUB TIMESTAMPADD TIMESTAMPSUB
		TIMESTAMPTOSTRING UNIX_DATE UNIX_TIMESTAMP`)
	arrayMapFns = fnSet(`ARRAY_CONCAT ARRAY_CONTAINS ARRAY_DISTINCT ARRAY_EXCEPT ARRAY_INTERSECT
		ARRAY_JOIN ARRAY_LENGTH ARRAY_MAX ARRAY_MIN ARRAY_REMOVE ARRAY_SORT ARRAY_UNION AS_MAP
		ENTRIES GENERATE_SERIES MAP_KEYS MAP_UNION MAP_VALUES SLICE`)
	jsonFns = fnSet(`EXTRACTJSONFIELD IS_JSON_STRING JSON_ARRAY_CONTAINS JSON_ARRAY_LENGTH
		JSON_CONCAT JSON_ITEMS JSON_KEYS JSON_RECORDS TO_JSON_STRING`)
	lambdaFns = fnSet(`TRANSFORM FILTER REDUCE`)
	otherFns  = fnSet(`COALESCE IFNULL NULLIF AS_VALUE`)
	aggFns    = fnSet(`ATTR AVG COLLECT_LIST COLLECT_SET CORRELATION COUNT COUNT_DISTINCT
		EARLIEST_BY_OFFSET HISTOGRAM LATEST_BY_OFFSET MAX MIN STDDEV_SAMP STDDEV_SAMPLE SUM TOPK
		TOPKDISTINCT`)
	tableFns = fnSet(`EXPLODE CUBE_EXPLODE`)
)

func fnSet(names string) map[string]bool {
	m := map[string]bool{}
	for _, n := range strings.Fields(names) {
		m[n] = true
	}
	return m
}

var (
	reJoin        = regexp.MustCompile(`(?i)\bJOIN\b`)
	reCall        = regexp.MustCompile(`\b([A-Za-z_][A-Za-z_0-9]*)\s*\(`)
	reCreate      = regexp.MustCompile(`(?is)^\s*CREATE\s+(?:OR\s+REPLACE\s+)?(?:SOURCE\s+)?(STREAM|TABLE)\s+(?:IF\s+NOT\s+EXISTS\s+)?([A-Za-z_0-9.]+)\s*(\()?`)
	reSelect      = regexp.MustCompile(`(?i)\bSELECT\b`)
	reFrom        = regexp.MustCompile(`(?i)\bFROM\s+([A-Za-z_0-9]+)`)
	reJoinSource  = regexp.MustCompile(`(?i)\bJOIN\s+([A-Za-z_0-9]+)`)
	reGroupBy     = regexp.MustCompile(`(?i)\bGROUP\s+BY\b`)
	rePartitionBy = regexp.MustCompile(`(?i)\bPARTITION\s+BY\b`)
	reWindow      = regexp.MustCompile(`(?i)\bWINDOW\s+(TUMBLING|HOPPING|SESSION)\b`)
	reWhere       = regexp.MustCompile(`(?i)\bWHERE\b`)
	reHaving      = regexp.MustCompile(`(?i)\bHAVING\b`)
	rePredicate   = regexp.MustCompile(`(?i)\bIN\s*\(|\bBETWEEN\b|\bLIKE\b|\bIS\s+(NOT\s+)?(NULL|DISTINCT)\b`)
	reCast        = regexp.MustCompile(`(?i)\bCAST\s*\(`)
	reCase        = regexp.MustCompile(`(?i)\bCASE\b`)
	reEmitFinal   = regexp.MustCompile(`(?i)\bEMIT\s+FINAL\b`)
	reWindowType  = regexp.MustCompile(`(?i)\bWINDOW_TYPE\s*=`)
	reInsertSel   = regexp.MustCompile(`(?is)^\s*INSERT\s+INTO\b.*\bSELECT\b`)
	reInsertVals  = regexp.MustCompile(`(?is)^\s*INSERT\s+INTO\b.*\bVALUES\b`)
	reNulls       = regexp.MustCompile(`(?i)\bNULL\b|\b(COALESCE|IFNULL|NULLIF)\s*\(`)
	reStruct      = regexp.MustCompile(`(?i)\bSTRUCT\b|->`)
	reArray       = regexp.MustCompile(`(?i)\bARRAY\b|[A-Za-z_0-9\]]\s*\[\s*[0-9]+\s*\]`)
	reMap         = regexp.MustCompile(`(?i)\bMAP\b`)
	reRowtime     = regexp.MustCompile(`(?i)\bROWTIME\b`)
	reRowPartOff  = regexp.MustCompile(`(?i)\bROW(PARTITION|OFFSET)\b`)
	reWinBounds   = regexp.MustCompile(`(?i)\bWINDOW(START|END)\b`)
	reDTColumn    = regexp.MustCompile(`(?i)\b([A-Za-z_0-9]+)\s+(TIMESTAMP|DATE|TIME)\b(\s*=)?`)
	reDTTypeArg   = regexp.MustCompile(`(?i)[<,]\s*(TIMESTAMP|DATE|TIME)\s*>|<\s*(TIMESTAMP|DATE|TIME)\s*,|\bAS\s+(TIMESTAMP|DATE|TIME)\s*\)`)
	reTSExtract   = regexp.MustCompile(`(?i)\bTIMESTAMP(_FORMAT)?\s*=`)
	reDecimal     = regexp.MustCompile(`(?i)\bDECIMAL\b`)
	reBytes       = regexp.MustCompile(`(?i)\bBYTES\b`)
	reHeaders     = regexp.MustCompile(`(?i)\bHEADERS?\b`)
	reKeyCol      = regexp.MustCompile(`(?i)\bKEY\b`)
	rePrimaryKey  = regexp.MustCompile(`(?i)\bPRIMARY\s+KEY\b`)
	reKeyFormat   = regexp.MustCompile(`(?i)\b(KEY_FORMAT|FORMAT)\s*=`)
	reStrLit      = regexp.MustCompile(`'(?:[^']|'')*'`)
)

// patternRules are the feature classes a statement touches when a pattern matches its
// code (string literals and quoted identifiers blanked out).
var patternRules = []struct {
	id string
	re *regexp.Regexp
}{
	{"where", reWhere},
	{"predicates", rePredicate},
	{"cast", reCast},
	{"case", reCase},
	{"group-by", reGroupBy},
	{"having", reHaving},
	{"emit-final", reEmitFinal},
	{"windowed-source", reWindowType},
	{"partition-by", rePartitionBy},
	{"nulls", reNulls},
	{"structs", reStruct},
	{"arrays", reArray},
	{"maps", reMap},
	{"rowtime", reRowtime},
	{"rowpartition-offset", reRowPartOff},
	{"windowbounds", reWinBounds},
	{"ts-extraction", reTSExtract},
	{"decimal", reDecimal},
	{"bytes", reBytes},
	{"headers", reHeaders},
}

// classifyFeatures tags c with feature classes by pattern rules over its statements and
// records (README 4). The result is in FeatureOrder order.
func classifyFeatures(c *Case) []string {
	set := map[string]bool{}
	add := func(id string) { set[id] = true }

	codes := make([]string, len(c.Statements))
	kinds := map[string]string{} // source name -> "STREAM" | "TABLE"
	for i, s := range c.Statements {
		codes[i] = codeOf(s)
		if m := reCreate.FindStringSubmatch(codes[i]); m != nil {
			kind := strings.ToUpper(m[1])
			kinds[sourceName(m[2])] = kind
			if kind == "TABLE" && m[3] != "" {
				add("table-source")
			}
		}
	}
	// Stateless and plain are judged over the whole case: a case with any stateful
	// query is not a filter/projection case, nor is one computing anything plain.
	var hasQuery, stateful, computed bool
	for i, code := range codes {
		fns := calledFunctions(code)
		arith := hasArithmetic(code)
		if reSelect.MatchString(code) {
			hasQuery = true
			classifyJoins(c, code, kinds, add)
		}
		if reJoin.MatchString(code) || reGroupBy.MatchString(code) || reWindow.MatchString(code) ||
			rePartitionBy.MatchString(code) || slices.ContainsFunc(fns, isTableFn) {
			stateful = true
		}
		if reCast.MatchString(code) || reCase.MatchString(code) || arith || len(fns) > 0 {
			computed = true
		}
		for _, r := range patternRules {
			if r.re.MatchString(code) {
				add(r.id)
			}
		}
		for _, f := range fns {
			if id := functionClass(f); id != "" {
				add(id)
				add("scalar-fn")
			} else if otherFns[f] {
				add("scalar-fn")
			} else if tableFns[f] {
				add("table-fn")
			}
		}
		if arith {
			add("arithmetic")
		}
		for _, m := range reWindow.FindAllStringSubmatch(code, -1) {
			add("window-" + strings.ToLower(m[1]))
		}
		if reInsertSel.MatchString(code) {
			add("insert-select")
		} else if reInsertVals.MatchString(code) {
			add("insert-values")
		}
		if hasDateTimeType(code) {
			add("datetime-types")
		}
		classifyFormats(c, c.Statements[i], code, add)
	}
	for _, recs := range [][]Record{c.Inputs, c.Outputs} {
		for _, r := range recs {
			if r.IsTombstone() {
				add("tombstones")
			}
			if r.Window != nil {
				add("windowed-records")
			}
			if len(r.Headers) > 0 {
				add("headers")
			}
			if k := strings.TrimSpace(string(r.Key)); strings.HasPrefix(k, "{") {
				add("multi-col-keys")
			}
		}
	}
	if hasQuery && !stateful {
		add("stateless")
		if !computed {
			add("stateless-plain")
		}
	}
	for _, p := range defaultFormatProps {
		if v, ok := c.Properties.Get(p); ok {
			addFormat(v, add)
		}
	}
	if c.ExpectedException != nil {
		add("expected-error")
	}
	out := make([]string, 0, len(set))
	for _, id := range FeatureOrder {
		if set[id] {
			out = append(out, id)
		}
	}
	return out
}

// functionClass returns the scalar-function class of a function name, "" for none.
func functionClass(name string) string {
	switch {
	case stringFns[name]:
		return "string-fn"
	case mathFns[name]:
		return "math-fn"
	case datetimeFns[name]:
		return "datetime-fn"
	case arrayMapFns[name]:
		return "arraymap-fn"
	case jsonFns[name]:
		return "json-fn"
	case lambdaFns[name]:
		return "lambda-fn"
	}
	return ""
}

// classifyJoins tags the joins of a statement by the kinds of the FROM and JOIN sources.
func classifyJoins(c *Case, code string, kinds map[string]string, add func(string)) {
	joins := reJoinSource.FindAllStringSubmatch(code, -1)
	if len(joins) == 0 {
		return
	}
	if len(joins) > 1 {
		add("join-nway")
	}
	left := ""
	if m := reFrom.FindStringSubmatch(code); m != nil {
		left = kinds[sourceName(m[1])]
	}
	for _, j := range joins {
		right := kinds[sourceName(j[1])]
		switch {
		case left == "STREAM" && right == "STREAM":
			add("join-ss")
		case left == "TABLE" && right == "TABLE":
			if strings.HasPrefix(c.File, "fk-") {
				add("join-fk")
			} else {
				add("join-tt")
			}
		case left == "STREAM" && right == "TABLE":
			add("join-st")
		}
	}
}

// hasDateTimeType reports whether code uses TIMESTAMP, DATE or TIME as a type: after a
// column name, as a type argument (MAP<STRING, DATE>) or as a CAST target. Columns named
// like the types and the WITH property TIMESTAMP= do not count.
func hasDateTimeType(code string) bool {
	for _, m := range reDTColumn.FindAllStringSubmatch(code, -1) {
		if m[3] == "" && !keywords[strings.ToUpper(m[1])] {
			return true
		}
	}
	return reDTTypeArg.MatchString(code)
}

// isFunction reports whether name is a known built-in function of any kind.
func isFunction(name string) bool {
	return stringFns[name] || mathFns[name] || datetimeFns[name] || arrayMapFns[name] ||
		jsonFns[name] || lambdaFns[name] || otherFns[name] || aggFns[name] || tableFns[name]
}

func isTableFn(name string) bool { return tableFns[name] }

// calledFunctions returns the upper-cased names of the known functions called in code.
func calledFunctions(code string) []string {
	var out []string
	for _, m := range reCall.FindAllStringSubmatch(code, -1) {
		if n := strings.ToUpper(m[1]); isFunction(n) {
			out = append(out, n)
		}
	}
	return out
}

// hasArithmetic reports whether code applies a binary + - * / % operator, or negates a
// non-literal operand (unary minus).
func hasArithmetic(code string) bool {
	for _, m := range reArith.FindAllStringSubmatchIndex(code, -1) {
		op, right := code[m[4]], code[m[6]]
		if op == '-' && code[m[4]+1] == '>' {
			continue // -> dereference
		}
		word := reLastWord.FindString(code[:m[3]])
		if reExpMantissa.MatchString(word) && (op == '-' || op == '+') && isDigit(right) {
			continue // exponent of a number literal: 1e-1
		}
		if keywords[strings.ToUpper(word)] {
			if op == '-' && !isDigit(right) {
				return true // ON -x
			}
			continue // SELECT *, unary minus on a literal
		}
		return true
	}
	return reUnaryMinus.MatchString(code)
}

var (
	reArith       = regexp.MustCompile(`([A-Za-z_0-9)\]]|')\s*([-+*/%])\s*([A-Za-z_0-9('])`)
	reLastWord    = regexp.MustCompile(`[A-Za-z_0-9.]+$|.$`)
	reExpMantissa = regexp.MustCompile(`^[0-9.]*[0-9][eE]$`)
	reUnaryMinus  = regexp.MustCompile(`[=<>(,]\s*-\s*[A-Za-z_(]`)
	keywords      = fnSet(`SELECT BY AS DISTINCT ON WHERE AND OR NOT WHEN THEN ELSE HAVING
		BETWEEN IN IS LIKE RETURN FROM`)
)

func isDigit(b byte) bool { return b >= '0' && b <= '9' }

// classifyFormats tags the formats a statement names, and KAFKA as the default key
// format of a keyed source declared without a key format.
func classifyFormats(c *Case, text, code string, add func(string)) {
	for _, m := range reFormatProp.FindAllStringSubmatch(text, -1) {
		addFormat(m[2], add)
	}
	// A keyed source: a stream with KEY columns or a table with a PRIMARY KEY (a table
	// declaring a plain KEY column is rejected before it has a key format).
	m := reCreate.FindStringSubmatch(code)
	if m == nil || m[3] == "" || reKeyFormat.MatchString(code) {
		return
	}
	keyed := rePrimaryKey.MatchString(code)
	if strings.EqualFold(m[1], "STREAM") {
		keyed = reKeyCol.MatchString(code)
	}
	if _, ok := c.Properties.Get("ksql.persistence.default.format.key"); keyed && !ok {
		add("fmt-kafka-default")
	}
}

// addFormat tags a format named in a statement or a default-format property.
func addFormat(name string, add func(string)) {
	switch strings.ToUpper(strings.TrimSpace(name)) {
	case "JSON":
		add("fmt-json")
	case "KAFKA":
		add("fmt-kafka")
	case "DELIMITED":
		add("fmt-delimited")
	case "NONE":
		add("fmt-none")
	}
}

// codeOf returns s with every string literal emptied and every quoted identifier
// replaced by Q_ plus its letters and digits, so text inside them matches no rule.
func codeOf(s string) string {
	s = reStrLit.ReplaceAllString(s, "''")
	return reQuotedID.ReplaceAllStringFunc(s, func(q string) string {
		return "Q_" + reNonWord.ReplaceAllString(q[1:len(q)-1], "_")
	})
}

var (
	reQuotedID = regexp.MustCompile("`[^`]*`|\"[^\"]*\"")
	reNonWord  = regexp.MustCompile(`[^A-Za-z_0-9]`)
)

// sourceName normalizes a source identifier of code (quoted ones are already Q_...).
func sourceName(id string) string { return strings.ToUpper(id) }
