package serde_test

import (
	"fmt"

	"github.com/ksqlgo/ksqlgo/serde"
)

func ExampleJSON() {
	type payment struct {
		ID     string  `json:"id"`
		Amount float64 `json:"amount"`
	}
	s := serde.JSON[payment]()
	b, _ := s.Serialize("payments", payment{ID: "p-1", Amount: 12.5})
	fmt.Printf("%s\n", b)
	p, _ := s.Deserialize("payments", []byte(`{"id":"p-2","amount":1.25,"extra":true}`))
	fmt.Printf("%+v\n", p)
	_, err := s.Deserialize("payments", []byte(`{"id":`))
	fmt.Println(err)
	// Output:
	// {"id":"p-1","amount":12.5}
	// {ID:p-2 Amount:1.25}
	// deserialize JSON from topic "payments": unexpected end of JSON input
}

func ExampleJSONRow() {
	s := serde.JSONRow()
	r, _ := s.Deserialize("payments", []byte(`{"amount":1.50,"id":"p-1"}`))
	fmt.Printf("%T %v\n", r["amount"], r["amount"])
	b, _ := s.Serialize("payments", r)
	fmt.Printf("%s\n", b)
	// Output:
	// json.Number 1.50
	// {"amount":1.50,"id":"p-1"}
}

func ExampleInt32() {
	b, _ := serde.Int32().Serialize("counts", 1)
	fmt.Printf("% x\n", b)
	_, err := serde.Int32().Deserialize("counts", []byte{0, 1})
	fmt.Println(err)
	// Output:
	// 00 00 00 01
	// deserialize int32 from topic "counts": size of data received by IntegerDeserializer is not 4 (got 2 bytes)
}

func ExampleAny() {
	s := serde.Any(serde.Int64())
	b, _ := s.Serialize("totals", int64(-1))
	fmt.Printf("% x\n", b)
	b, _ = s.Serialize("totals", nil)
	fmt.Println(b == nil)
	_, err := s.Serialize("totals", "x")
	fmt.Println(err)
	// Output:
	// ff ff ff ff ff ff ff ff
	// true
	// serialize for topic "totals": got string, want int64
}
