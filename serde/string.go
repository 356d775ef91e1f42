package serde

// String returns Kafka's StringSerializer format: the string's bytes, which for Go strings
// are UTF-8. Deserialize copies the bytes as they are, without replacing invalid UTF-8 (Java
// would decode it to U+FFFD), so every byte string round-trips. The empty string is an empty,
// non-nil slice, not Kafka null; nil bytes deserialize to "". The serde is safe for
// concurrent use.
func String() Serde[string] { return stringSerde{} }

type stringSerde struct{}

var _ Serde[string] = stringSerde{}

func (stringSerde) Serialize(_ string, v string) ([]byte, error) {
	if v == "" {
		return []byte{}, nil
	}
	return []byte(v), nil
}

func (stringSerde) Deserialize(_ string, data []byte) (string, error) {
	return string(data), nil
}
