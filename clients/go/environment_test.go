// The environment options through the Go client: seeded randomness, a frozen clock,
// the browser profile and the probe of undefined globals.

package jscore_test

import (
	"reflect"
	"testing"
	"time"

	"jscore.dev/jscore"
	jscorev1 "jscore.dev/jscore/jscorev1"
)

func TestEnvironmentOptions(t *testing.T) {
	const random = "[Math.random(), crypto.randomUUID()]"
	a, err := client.Evaluate(ctxT(t), random, jscore.RandomSeed(42))
	if err != nil {
		t.Fatal(err)
	}
	b, err := client.Evaluate(ctxT(t), random, jscore.RandomSeed(42))
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(a.Value(), b.Value()) {
		t.Errorf("same seed, different values: %v %v", a.Value(), b.Value())
	}
	at := time.Date(2024, 2, 29, 12, 30, 0, 0, time.UTC)
	r, err := client.Evaluate(ctxT(t), "new Date().toISOString()", jscore.FrozenTime(at))
	if err != nil || r.Value() != "2024-02-29T12:30:00.000Z" {
		t.Errorf("frozen time: %v %v", r, err)
	}
	r, err = client.Evaluate(ctxT(t), "[location.hostname, navigator.userAgent, typeof _phantom]",
		jscore.Browser(&jscorev1.BrowserProfile{Url: "https://shop.example.com/x", UserAgent: "go-test/1"}),
		jscore.Probe())
	if err != nil {
		t.Fatal(err)
	}
	if want := []any{"shop.example.com", "go-test/1", "undefined"}; !reflect.DeepEqual(r.Value(), want) {
		t.Errorf("browser page: %v, want %v", r.Value(), want)
	}
	found := false
	for _, name := range r.ProbedMissing {
		found = found || name == "_phantom"
	}
	if !found {
		t.Errorf("probe: %v lacks _phantom", r.ProbedMissing)
	}
	s, err := client.NewSession(ctxT(t), jscore.Browser(nil))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if r, err := s.Evaluate(ctxT(t), "window === globalThis"); err != nil || r.Value() != true {
		t.Errorf("session with the browser profile: %v %v", r, err)
	}
	p, err := client.LoadProgram(ctxT(t), "function f() { return 1 }")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.CallWith(ctxT(t), "f", nil, jscore.Browser(nil)); err == nil {
		t.Error("Browser on a program call: no error")
	}
}
