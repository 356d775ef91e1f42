package statestore

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"strings"
)

// Key encoding. Every Badger key of a store partition is
//
//	store name | 0x00 | partition (4 bytes, big-endian) | store-specific part
//
// Store names are non-empty and contain no 0x00 byte, so the prefixes of two store
// partitions are never prefixes of each other and never start with 0x00. Keys starting with
// 0x00 are reserved for the package's own records:
//
//	0x00 "checkpoint" 0x00 | store name | 0x00 | partition (4 bytes) -> changelog offset (8 bytes, big-endian)
//
// The store-specific part is:
//
//	key-value: the raw user key, so ranges follow the byte order of the serialized keys
//	window:    esc(key) | start (8 bytes)
//	session:   esc(key) | end (8 bytes) | start (8 bytes)
//
// where esc replaces every 0x00 byte of the key by 0x00 0xFF and appends the terminator
// 0x00 0x01. The escaped form is prefix-free (no escaped key is a prefix of another) and
// keeps the byte order of keys, so all windows (sessions) of one key are contiguous, in time
// order, and keys keep their order. Timestamps are big-endian with the sign bit flipped, so
// negative timestamps sort before positive ones. Sessions put the end before the start (as
// Kafka Streams does) so that a search for sessions ending at or after t seeks straight to
// (key, t).
//
// The changelog key of an entry is its store-specific part (the raw key for key-value
// stores), so the Badger key of a changelog record is prefix + changelog key, whatever the
// store kind.

const (
	escByte  = 0x00 // escaped as escByte escFF
	escFF    = 0xFF
	escTerm  = 0x01 // escByte escTerm ends an escaped key
	tsLen    = 8
	partLen  = 4
	signFlip = uint64(1) << 63
	cpPrefix = "\x00checkpoint\x00"
	cpValLen = 8

	badgerReserved = "!badger!" // prefix of Badger's internal keys, which iterators skip
)

var errBadEncoding = errors.New("malformed encoded key")

// ValidateStoreName reports whether name can name a store: it must be non-empty, must not
// contain a 0x00 byte (the separator of the key encoding) and must not start with
// "!badger!" (Badger's internal keys).
func ValidateStoreName(name string) error {
	if name == "" {
		return errors.New("store name must not be empty")
	}
	if i := strings.IndexByte(name, 0); i >= 0 {
		return fmt.Errorf("store name %q contains a 0x00 byte at %d", name, i)
	}
	if strings.HasPrefix(name, badgerReserved) {
		return fmt.Errorf("store name %q starts with %q, which Badger reserves", name, badgerReserved)
	}
	return nil
}

// partitionPrefix is the prefix of every Badger key of the store partition.
func partitionPrefix(store string, partition int32) []byte {
	b := make([]byte, 0, len(store)+1+partLen)
	b = append(b, store...)
	b = append(b, 0)
	return binary.BigEndian.AppendUint32(b, uint32(partition))
}

// checkpointKey is the Badger key holding the changelog checkpoint of a store partition.
func checkpointKey(store string, partition int32) []byte {
	b := make([]byte, 0, len(cpPrefix)+len(store)+1+partLen)
	b = append(b, cpPrefix...)
	b = append(b, store...)
	b = append(b, 0)
	return binary.BigEndian.AppendUint32(b, uint32(partition))
}

// appendEscaped appends the order-preserving, prefix-free form of key to dst.
func appendEscaped(dst, key []byte) []byte {
	for {
		i := bytes.IndexByte(key, escByte)
		if i < 0 {
			break
		}
		dst = append(dst, key[:i+1]...)
		dst = append(dst, escFF)
		key = key[i+1:]
	}
	dst = append(dst, key...)
	return append(dst, escByte, escTerm)
}

// escapedLen is the length of appendEscaped(nil, key).
func escapedLen(key []byte) int { return len(key) + bytes.Count(key, []byte{escByte}) + 2 }

// unescape decodes an escaped key at the start of b, appending the key to dst. It returns
// the extended dst and the rest of b after the terminator.
func unescape(dst, b []byte) (key, rest []byte, err error) {
	for {
		i := bytes.IndexByte(b, escByte)
		if i < 0 || i+1 >= len(b) {
			return dst, nil, errBadEncoding
		}
		dst = append(dst, b[:i]...)
		switch b[i+1] {
		case escFF:
			dst = append(dst, escByte)
			b = b[i+2:]
		case escTerm:
			return dst, b[i+2:], nil
		default:
			return dst, nil, errBadEncoding
		}
	}
}

// appendTime appends ts as 8 bytes big-endian with the sign bit flipped.
func appendTime(dst []byte, ts int64) []byte {
	return binary.BigEndian.AppendUint64(dst, uint64(ts)^signFlip)
}

// readTime decodes 8 bytes written by appendTime.
func readTime(b []byte) int64 { return int64(binary.BigEndian.Uint64(b) ^ signFlip) }

// appendWindowKey appends the store-specific part of a window entry.
func appendWindowKey(dst, key []byte, start int64) []byte {
	return appendTime(appendEscaped(dst, key), start)
}

// decodeWindowKey splits the store-specific part of a window entry, appending the user key
// to dst.
func decodeWindowKey(dst, b []byte) (key []byte, start int64, err error) {
	key, rest, err := unescape(dst, b)
	if err != nil || len(rest) != tsLen {
		return key, 0, fmt.Errorf("window key %x: %w", b, errBadEncoding)
	}
	return key, readTime(rest), nil
}

// appendSessionKey appends the store-specific part of a session entry.
func appendSessionKey(dst, key []byte, start, end int64) []byte {
	return appendTime(appendTime(appendEscaped(dst, key), end), start)
}

// decodeSessionKey splits the store-specific part of a session entry, appending the user key
// to dst.
func decodeSessionKey(dst, b []byte) (key []byte, start, end int64, err error) {
	key, rest, err := unescape(dst, b)
	if err != nil || len(rest) != 2*tsLen {
		return key, 0, 0, fmt.Errorf("session key %x: %w", b, errBadEncoding)
	}
	return key, readTime(rest[tsLen:]), readTime(rest[:tsLen]), nil
}

// windowTimes returns the trailing timestamp of a window store-specific part (no checks:
// keys read back from the store were written by this package).
func windowStart(b []byte) int64 { return readTime(b[len(b)-tsLen:]) }

// sessionTimes returns (start, end) of a session store-specific part.
func sessionTimes(b []byte) (start, end int64) {
	return readTime(b[len(b)-tsLen:]), readTime(b[len(b)-2*tsLen : len(b)-tsLen])
}

// prefixEnd returns the smallest key greater than every key with prefix p, or nil if there
// is none (p is all 0xFF).
func prefixEnd(p []byte) []byte {
	end := bytes.Clone(p)
	for i := len(end) - 1; i >= 0; i-- {
		if end[i] < 0xFF {
			end[i]++
			return end[:i+1]
		}
	}
	return nil
}
