package dsl

import (
	"testing"

	"github.com/ksqlgo/ksqlgo/serde"
)

// TestKeyChanged checks the key-changed state GroupBy and joins use to decide on an
// automatic repartition, and the keyChanging mark on graph nodes.
func TestKeyChanged(t *testing.T) {
	b := NewBuilder()
	src := StreamOf(b, "in", Consumed(serde.String(), serde.JSON[int]()))
	src2 := StreamOf(b, "in2", Consumed(serde.String(), serde.JSON[int]()))
	same := func(k string, v int) (string, int) { return k, v }
	mapped := Map(src, same)
	keyed := SelectKey(src, func(k string, _ int) string { return k })
	flat := FlatMap(src, func(k string, v int) []KeyValue[string, int] { return nil })
	processed := Process(src, func() Processor[string, int, string, int] { return nil })
	tests := []struct {
		name string
		key  bool // the key may have changed
		node bool // the stream's node may change keys
		s    Stream[string, int]
	}{
		{"source", false, false, src},
		{"filter", false, false, src.Filter(func(string, int) bool { return true })},
		{"mapValues", false, false, MapValues(src, func(v int) int { return v })},
		{"flatMapValues", false, false, FlatMapValues(src, func(v int) []int { return nil })},
		{"map", true, true, mapped},
		{"selectKey", true, true, keyed},
		{"flatMap", true, true, flat},
		{"process", true, true, processed},
		{"filter after map", true, false, mapped.Filter(func(string, int) bool { return true })},
		{"mapValues after selectKey", true, false, MapValues(keyed, func(v int) int { return v })},
		{"merge of changed and unchanged", true, false, src2.Merge(mapped)},
		{"merge of unchanged", false, false, src2.Merge(src)},
		{"repartition clears", false, false, keyed.Repartition(Repartitioned(serde.String(), serde.JSON[int]()))},
		{"map after repartition", true, true, Map(keyed.Repartition(Repartitioned(serde.String(), serde.JSON[int]())), same)},
		{"split branch", true, false, keyed.Split(DefaultBranch("all"))["all"]},
	}
	for _, tt := range tests {
		if tt.s.keyChanged != tt.key || tt.s.node.keyChanging != tt.node {
			t.Errorf("%s: keyChanged %v, node keyChanging %v; want %v, %v", tt.name, tt.s.keyChanged, tt.s.node.keyChanging, tt.key, tt.node)
		}
	}
	if _, err := b.Build(); err != nil {
		t.Fatal(err)
	}
}

func TestConvert(t *testing.T) {
	type T struct{ A int }
	var nilT *T
	var nilAny any
	cases := []struct {
		name string
		got  any
		want any
	}{
		{"int", toAny(3), 3},
		{"zero int stays", toAny(0), 0},
		{"nil pointer is null", toAny(nilT), nil},
		{"nil slice is null", toAny([]byte(nil)), nil},
		{"empty slice is not null", toAny([]byte{}) == nil, false},
		{"nil map is null", toAny(map[string]int(nil)), nil},
		{"nil interface is null", toAny(nilAny), nil},
		{"interface holding a nil pointer is null", toAny[any](nilT), nil},
		{"interface holding an int", toAny[any](5), 5},
		{"struct", toAny(T{1}), T{1}},
	}
	for _, c := range cases {
		if c.got != c.want {
			t.Errorf("%s: toAny = %#v, want %#v", c.name, c.got, c.want)
		}
	}

	if v, err := fromAny[int](nil); v != 0 || err != nil {
		t.Errorf("fromAny[int](nil) = %v, %v; want 0, nil", v, err)
	}
	if v, err := fromAny[*T](nil); v != nil || err != nil {
		t.Errorf("fromAny[*T](nil) = %v, %v; want nil, nil", v, err)
	}
	if _, err := fromAny[int]("x"); err == nil || err.Error() != "got string, want int" {
		t.Errorf("fromAny[int](\"x\") error %v, want got string, want int", err)
	}
	if v, err := fromAny[any](7); v != 7 || err != nil {
		t.Errorf("fromAny[any](7) = %v, %v", v, err)
	}
}
