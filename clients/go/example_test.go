// Examples, run by go test against the test daemon (addr is its address); the README
// shows the same code.

package jscore_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"math/big"
	"time"

	"jscore.dev/jscore"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

func Example() {
	c, err := jscore.Dial(daemon.addr, jscore.WithTimeout(5*time.Second))
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()
	ctx := context.Background()

	r, err := c.Evaluate(ctx, "x * 2", jscore.Global("x", 21))
	if err != nil {
		log.Fatal(err)
	}
	var n int
	if err := r.Decode(&n); err != nil {
		log.Fatal(err)
	}
	fmt.Println(n, r.Value())
	// Output: 42 42
}

func ExampleResult_Decode() {
	ctx := context.Background()
	r, err := client.Evaluate(ctx, `({id: "a1", total: 2n ** 70n, at: new Date(0), raw: new Uint8Array([104, 105])})`)
	if err != nil {
		log.Fatal(err)
	}
	var order struct {
		ID    string    `json:"id"`
		Total *big.Int  `json:"total"`
		At    time.Time `json:"at"`
		Raw   []byte    `json:"raw"`
	}
	if err := r.Decode(&order); err != nil {
		log.Fatal(err)
	}
	fmt.Println(order.ID, order.Total, order.At.Format(time.RFC3339), string(order.Raw))
	// Output: a1 1180591620717411303424 1970-01-01T00:00:00Z hi
}

func ExampleProgram_Call() {
	ctx := context.Background()
	p, err := client.LoadProgram(ctx, `function sign(s, n) { return s + ":" + n * 2 }`)
	if err != nil {
		log.Fatal(err)
	}
	r, err := p.Call(ctx, "sign", "a", 21)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(r.Value())
	// Output: a:42
}

func ExampleSession() {
	ctx := context.Background()
	s, err := client.NewSession(ctx)
	if err != nil {
		log.Fatal(err)
	}
	defer s.Close()
	if err := s.Compile(ctx, "var n = 0; function inc() { return ++n }"); err != nil {
		log.Fatal(err)
	}
	s.Call(ctx, "inc")
	r, _ := s.Call(ctx, "inc")
	fmt.Println(r.Value())
	// Output: 2
}

func ExampleClient_Batch() {
	ctx := context.Background()
	items := make([]jscore.BatchItem, 100)
	for i := range items {
		items[i] = jscore.BatchItem{Source: "i * i", Globals: map[string]any{"i": i}}
	}
	sum := 0
	for r := range client.Batch(ctx, items, jscore.Window(32)) {
		var v int
		if err := r.Decode(&v); err != nil { // r.Err, or a value that is no int
			log.Fatalf("item %s: %v", r.ID, err)
		}
		sum += v
	}
	fmt.Println(sum)
	// Output: 328350
}

func ExampleJsError() {
	ctx := context.Background()
	_, err := client.Evaluate(ctx, "throw new TypeError('bad input')")
	var jsErr *jscore.JsError
	if errors.As(err, &jsErr) {
		fmt.Println(jsErr.Name, jsErr.Message, jsErr.Line, jsErr.Column)
	}
	_, err = client.Evaluate(ctx, "while (true) {}", jscore.Timeout(100*time.Millisecond))
	fmt.Println(status.Code(err) == codes.DeadlineExceeded)
	// Output:
	// TypeError bad input 1 1
	// true
}
