package dsl

import "github.com/ksqlgo/ksqlgo/runtime"

// KeyValue is one output record of FlatMap.
type KeyValue[K, V any] struct {
	Key   K
	Value V
}

// Pair returns KeyValue{key, value}.
func Pair[K, V any](key K, value V) KeyValue[K, V] { return KeyValue[K, V]{Key: key, Value: value} }

// Map replaces the key and value of each record with those fn returns; timestamp and
// headers are kept. The result carries no serdes, and key-based operations downstream
// repartition it. Options: Named (overriding "KSTREAM-MAP-<counter>").
func Map[K, V, KR, VR any](s Stream[K, V], fn func(key K, value V) (KR, VR), opts ...Opt) Stream[KR, VR] {
	n := s.processor("map", "KSTREAM-MAP-", opts, func(ctx *runtime.ProcessorContext, k K, v V, r runtime.Record) error {
		kr, vr := fn(k, v)
		r.Key, r.Value = toAny(kr), toAny(vr)
		ctx.Forward(r)
		return nil
	})
	n.keyChanging = true
	if fn == nil {
		s.b.failf(n, "nil function")
	}
	return derive[KR, VR](s, n, true)
}

// MapValues replaces the value of each record with fn(value); key, timestamp and headers
// are kept. The result carries the key serde of s. Options: Named (overriding
// "KSTREAM-MAPVALUES-<counter>").
func MapValues[K, V, VR any](s Stream[K, V], fn func(value V) VR, opts ...Opt) Stream[K, VR] {
	if fn == nil {
		return mapValues[K, V, VR](s, nil, opts)
	}
	return mapValues(s, func(_ K, v V) VR { return fn(v) }, opts)
}

// MapValuesWithKey is MapValues with a function that also reads the key (read-only:
// changing it has no effect). Options: Named (overriding "KSTREAM-MAPVALUES-<counter>").
func MapValuesWithKey[K, V, VR any](s Stream[K, V], fn func(key K, value V) VR, opts ...Opt) Stream[K, VR] {
	return mapValues(s, fn, opts)
}

func mapValues[K, V, VR any](s Stream[K, V], fn func(K, V) VR, opts []Opt) Stream[K, VR] {
	n := s.processor("mapValues", "KSTREAM-MAPVALUES-", opts, func(ctx *runtime.ProcessorContext, k K, v V, r runtime.Record) error {
		r.Value = toAny(fn(k, v))
		ctx.Forward(r)
		return nil
	})
	if fn == nil {
		s.b.failf(n, "nil function")
	}
	out := derive[K, VR](s, n, false)
	out.keySerde, out.keyLost = s.keySerde, s.keyLost
	return out
}

// FlatMap replaces each record with the records fn returns (none, one or more), each with
// the input's timestamp and headers. The result carries no serdes, and key-based
// operations downstream repartition it. Options: Named (overriding
// "KSTREAM-FLATMAP-<counter>").
func FlatMap[K, V, KR, VR any](s Stream[K, V], fn func(key K, value V) []KeyValue[KR, VR], opts ...Opt) Stream[KR, VR] {
	n := s.processor("flatMap", "KSTREAM-FLATMAP-", opts, func(ctx *runtime.ProcessorContext, k K, v V, r runtime.Record) error {
		for _, kv := range fn(k, v) {
			r.Key, r.Value = toAny(kv.Key), toAny(kv.Value)
			ctx.Forward(r)
		}
		return nil
	})
	n.keyChanging = true
	if fn == nil {
		s.b.failf(n, "nil function")
	}
	return derive[KR, VR](s, n, true)
}

// FlatMapValues replaces each record with one record per value fn returns, each with the
// input's key, timestamp and headers. The result carries the key serde of s. Options:
// Named (overriding "KSTREAM-FLATMAPVALUES-<counter>").
func FlatMapValues[K, V, VR any](s Stream[K, V], fn func(value V) []VR, opts ...Opt) Stream[K, VR] {
	if fn == nil {
		return flatMapValues[K, V, VR](s, nil, opts)
	}
	return flatMapValues(s, func(_ K, v V) []VR { return fn(v) }, opts)
}

// FlatMapValuesWithKey is FlatMapValues with a function that also reads the key. Options:
// Named (overriding "KSTREAM-FLATMAPVALUES-<counter>").
func FlatMapValuesWithKey[K, V, VR any](s Stream[K, V], fn func(key K, value V) []VR, opts ...Opt) Stream[K, VR] {
	return flatMapValues(s, fn, opts)
}

func flatMapValues[K, V, VR any](s Stream[K, V], fn func(K, V) []VR, opts []Opt) Stream[K, VR] {
	n := s.processor("flatMapValues", "KSTREAM-FLATMAPVALUES-", opts, func(ctx *runtime.ProcessorContext, k K, v V, r runtime.Record) error {
		for _, vr := range fn(k, v) {
			r.Value = toAny(vr)
			ctx.Forward(r)
		}
		return nil
	})
	if fn == nil {
		s.b.failf(n, "nil function")
	}
	out := derive[K, VR](s, n, false)
	out.keySerde, out.keyLost = s.keySerde, s.keyLost
	return out
}

// SelectKey replaces the key of each record with fn(key, value); value, timestamp and
// headers are kept. The result carries the value serde of s, and key-based operations
// downstream repartition it. Options: Named (overriding "KSTREAM-KEY-SELECT-<counter>").
func SelectKey[K, V, KR any](s Stream[K, V], fn func(key K, value V) KR, opts ...Opt) Stream[KR, V] {
	n := s.processor("selectKey", "KSTREAM-KEY-SELECT-", opts, func(ctx *runtime.ProcessorContext, k K, v V, r runtime.Record) error {
		r.Key = toAny(fn(k, v))
		ctx.Forward(r)
		return nil
	})
	n.keyChanging = true
	if fn == nil {
		s.b.failf(n, "nil function")
	}
	out := derive[KR, V](s, n, true)
	out.valueSerde, out.valueLost = s.valueSerde, s.valueLost
	return out
}
