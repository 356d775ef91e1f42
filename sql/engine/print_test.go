package engine

import (
	"encoding/binary"
	"reflect"
	"testing"
)

func TestPrinterFormats(t *testing.T) {
	i4 := binary.BigEndian.AppendUint32(nil, uint32(0xFFFFFFFE)) // -2 as KAFKA_INT
	i8 := binary.BigEndian.AppendUint64(nil, 42)
	p := &Printer{P: &PrintTopic{Interval: 1, Limit: 3}}
	got := p.Print(0, 0, nil, []byte(`{"A":1}`))
	got = append(got, p.Print(1, 1000, i4, i8)...)
	got = append(got, p.Print(2, 2000, []byte{0xff, 0xfe}, nil)...)
	want := []string{
		"Key format: ¯\\_(ツ)_/¯ - no data processed",
		"Value format: JSON or KAFKA_STRING",
		`rowtime: 1970/01/01 00:00:00.000 Z, key: <null>, value: {"A":1}, partition: 0`,
		// the key's candidates come from the first record that has one; the value keeps
		// the candidates of the first value (a string, as ksqlDB shows it)
		"rowtime: 1970/01/01 00:00:01.000 Z, key: -2, value: \x00\x00\x00\x00\x00\x00\x00*, partition: 1",
		"rowtime: 1970/01/01 00:00:02.000 Z, key: \uFFFD, value: <null>, partition: 2",
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got\n%q\nwant\n%q", got, want)
	}
	if !p.Done() || p.Print(3, 0, nil, nil) != nil {
		t.Fatal("printer did not stop at its LIMIT")
	}
	if f := printFormats(i8); !reflect.DeepEqual(f, []string{"KAFKA_BIGINT", "KAFKA_DOUBLE", "KAFKA_STRING"}) {
		t.Fatalf("formats of 8 bytes: %v", f)
	}
}
