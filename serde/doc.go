// Package serde turns keys and values into bytes and back: JSON (typed values through
// generics, and generic rows), strings, Kafka's primitive formats (int, bigint, double,
// big-endian as Kafka's serializers write them) and raw bytes.
//
// Every format implements Serde[T]. The runtime works with untyped values (Serde[any]);
// Any adapts a typed serde to it. serde imports only the standard library: it sits below
// runtime and dsl and may be used by every package above it.
package serde
