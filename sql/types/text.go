package types

import (
	"encoding/base64"
	"strconv"
)

// PrimitiveText renders a primitive value as ksqlDB writes it in text (CAST to STRING,
// map keys, TO_JSON_STRING): "null", booleans and integers as Java does, DOUBLE with
// FormatDouble, DECIMAL with all digits of its scale, BYTES in base64, DATE as
// yyyy-MM-dd and TIMESTAMP as yyyy-MM-ddTHH:mm:ss.SSS (UTC). ok is false for TIME and
// for containers, whose text depends on the caller.
func PrimitiveText(v any) (text string, ok bool) {
	switch x := v.(type) {
	case nil:
		return "null", true
	case string:
		return x, true
	case bool:
		return strconv.FormatBool(x), true
	case int32:
		return strconv.FormatInt(int64(x), 10), true
	case int64:
		return strconv.FormatInt(x, 10), true
	case float64:
		return FormatDouble(x), true
	case Decimal:
		return x.String(), true
	case []byte:
		return base64.StdEncoding.EncodeToString(x), true
	case Date:
		return x.GoTime().Format("2006-01-02"), true
	case Timestamp:
		return x.GoTime().Format("2006-01-02T15:04:05.000"), true
	}
	return "", false
}
