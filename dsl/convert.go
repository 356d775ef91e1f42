package dsl

import (
	"fmt"
	"reflect"

	"github.com/ksqlgo/ksqlgo/runtime"
)

// fromAny converts a runtime key or value to T. A nil value (Kafka null: a missing key or
// a tombstone) is the zero T. A value of another type is an error, never a panic: it goes
// to the processing-error policy.
func fromAny[T any](x any) (T, error) {
	if x == nil {
		var zero T
		return zero, nil
	}
	t, ok := x.(T)
	if !ok {
		var zero T
		return zero, fmt.Errorf("got %T, want %s", x, typeName[T]())
	}
	return t, nil
}

// decode converts the key and value of r.
func decode[K, V any](r runtime.Record) (K, V, error) {
	k, err := fromAny[K](r.Key)
	if err != nil {
		var v V
		return k, v, fmt.Errorf("key: %w", err)
	}
	v, err := fromAny[V](r.Value)
	if err != nil {
		return k, v, fmt.Errorf("value: %w", err)
	}
	return k, v, nil
}

// toAny converts a typed key or value to a runtime one. A nil pointer, slice, map,
// interface, func or channel becomes nil, Kafka null: a typed function emits a tombstone by
// returning a nil value.
func toAny[T any](v T) any {
	a := any(v)
	if a == nil {
		return nil
	}
	kind := reflect.TypeFor[T]().Kind()
	if kind == reflect.Interface {
		kind = reflect.TypeOf(a).Kind() // the dynamic type: T is an interface holding a value
	}
	switch kind {
	case reflect.Pointer, reflect.Slice, reflect.Map, reflect.Func, reflect.Chan:
		if reflect.ValueOf(a).IsNil() {
			return nil
		}
	}
	return a
}
