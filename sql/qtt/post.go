package qtt

import "encoding/json"

// Post is a test's "post" object: conditions on the catalog and topics checked after
// processing (README 1.11).
type Post struct {
	// Sources must each match some catalog source.
	Sources []PostSource `json:"sources"`
	// Topics holds the topic conditions, nil when absent.
	Topics *PostTopics `json:"topics"`
}

// PostSource describes a catalog source expected after the run. Empty strings and nil
// pointers mean "not checked".
type PostSource struct {
	// Name is the catalog name of the source (required).
	Name string `json:"name"`
	// Type is "stream" or "table", case-insensitive (required).
	Type string `json:"type"`
	// Schema is the full column list in ksqlDB syntax, e.g. "ID BIGINT KEY, NAME STRING".
	Schema string `json:"schema"`
	// KeyFormat is the expected key format and windowing.
	KeyFormat *PostKeyFormat `json:"keyFormat"`
	// ValueFormat is the expected value format name.
	ValueFormat string `json:"valueFormat"`
	// KeyFeatures and ValueFeatures are serde feature sets such as ["UNWRAP_SINGLES"];
	// nil when absent, empty when given as [].
	KeyFeatures   []string `json:"keyFeatures"`
	ValueFeatures []string `json:"valueFeatures"`
	// IsSource, when set, says whether the source was created with CREATE SOURCE.
	IsSource *bool `json:"isSource"`
}

// PostKeyFormat is a PostSource's "keyFormat". Once given, WindowType and WindowSize
// must match exactly, "" and nil meaning "not windowed" / "no size".
type PostKeyFormat struct {
	Format     string `json:"format"`
	WindowType string `json:"windowType"`
	WindowSize *int64 `json:"windowSize"`
}

// PostTopics is the "topics" part of a Post.
type PostTopics struct {
	// Blacklist is a regular expression no topic created during the test may contain a
	// match of ("" when absent).
	Blacklist string `json:"blacklist"`
	// Topics must each match a topic known after the run.
	Topics []PostTopic `json:"topics"`
}

// PostTopic describes a topic expected after the run.
type PostTopic struct {
	Name        string       `json:"name"`
	KeyFormat   *TopicFormat `json:"keyFormat"`
	ValueFormat *TopicFormat `json:"valueFormat"`
	// Partitions is the expected partition count, nil when not checked.
	Partitions *int `json:"partitions"`
	// KeySchema and ValueSchema are schema-registry expectations, nil when absent.
	KeySchema   json.RawMessage `json:"keySchema"`
	ValueSchema json.RawMessage `json:"valueSchema"`
}

// TopicFormat is a topic's key or value format as ksqlDB's FormatInfo/KeyFormat report
// it.
type TopicFormat struct {
	Format     string      `json:"format"`
	Features   []string    `json:"features"`
	Properties Properties  `json:"properties"`
	WindowInfo *WindowInfo `json:"windowInfo"`
}

// WindowInfo is the windowing of a topic's key format: Type is TUMBLING, HOPPING or
// SESSION; Size is nil for session windows.
type WindowInfo struct {
	Type string `json:"type"`
	Size *int64 `json:"size"`
}
