package serde

import "bytes"

// Bytes returns Kafka's ByteArraySerializer format: the bytes as they are. Both directions
// copy, because the caller owns what Serialize returns and must not keep what it passes to
// Deserialize. nil stays nil (Kafka null) and an empty slice stays empty and non-nil. The
// serde is safe for concurrent use.
func Bytes() Serde[[]byte] { return bytesSerde{} }

type bytesSerde struct{}

var _ Serde[[]byte] = bytesSerde{}

func (bytesSerde) Serialize(_ string, v []byte) ([]byte, error) {
	return bytes.Clone(v), nil
}

func (bytesSerde) Deserialize(_ string, data []byte) ([]byte, error) {
	return bytes.Clone(data), nil
}
