package format

import (
	"encoding/binary"
	"fmt"
)

// Windowed keys as Kafka Streams lays them out (ksqlDB uses its windowed serdes): a
// time-windowed key (tumbling, hopping) is the inner key's bytes followed by the window
// start as 8 big-endian bytes; the window end is not on the wire (it is start plus the
// window size). A session-windowed key is the inner key's bytes, then the end, then the
// start, each 8 big-endian bytes.

// EncodeTimeWindowed returns inner followed by start (epoch ms) as 8 big-endian bytes.
// inner is not modified.
func EncodeTimeWindowed(inner []byte, start int64) []byte {
	b := make([]byte, 0, len(inner)+8)
	b = append(b, inner...)
	return binary.BigEndian.AppendUint64(b, uint64(start))
}

// DecodeTimeWindowed splits a time-windowed key into the inner key's bytes (a sub-slice
// of b) and the window start. A key shorter than 8 bytes is an error.
func DecodeTimeWindowed(b []byte) (inner []byte, start int64, err error) {
	if len(b) < 8 {
		return nil, 0, fmt.Errorf("time-windowed key of %d bytes: need at least 8", len(b))
	}
	n := len(b) - 8
	return b[:n:n], int64(binary.BigEndian.Uint64(b[n:])), nil
}

// EncodeSessionWindowed returns inner followed by end and start (epoch ms), each as 8
// big-endian bytes. inner is not modified.
func EncodeSessionWindowed(inner []byte, start, end int64) []byte {
	b := make([]byte, 0, len(inner)+16)
	b = append(b, inner...)
	b = binary.BigEndian.AppendUint64(b, uint64(end))
	return binary.BigEndian.AppendUint64(b, uint64(start))
}

// DecodeSessionWindowed splits a session-windowed key into the inner key's bytes (a
// sub-slice of b), the window start and the window end. A key shorter than 16 bytes is an
// error.
func DecodeSessionWindowed(b []byte) (inner []byte, start, end int64, err error) {
	if len(b) < 16 {
		return nil, 0, 0, fmt.Errorf("session-windowed key of %d bytes: need at least 16", len(b))
	}
	n := len(b) - 16
	end = int64(binary.BigEndian.Uint64(b[n:]))
	start = int64(binary.BigEndian.Uint64(b[n+8:]))
	return b[:n:n], start, end, nil
}
