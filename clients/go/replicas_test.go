// Scale-out: three real jscored replicas on loopback behind one client (DialReplicas:
// round_robin over a static address list). Load spreads; programs work on every
// replica (the FAILED_PRECONDITION reload path, back to the replica that lacked the
// program); sessions stay on their replica; killing a replica mid-run loses only the
// requests in flight there, which fail UNAVAILABLE and are retried when allowed.

package jscore_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"jscore.dev/jscore"
	jscorev1 "jscore.dev/jscore/jscorev1"

	"google.golang.org/grpc/codes"
)

const replicaCount = 3

func startReplicas(t *testing.T) ([]*daemonProcess, []string) {
	t.Helper()
	var ds []*daemonProcess
	var addrs []string
	for i := 0; i < replicaCount; i++ {
		d, err := startDaemon("--workers=2")
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(d.stop)
		ds = append(ds, d)
		addrs = append(addrs, d.addr)
	}
	return ds, addrs
}

// directStats asks one replica for its counters.
func directStats(t *testing.T, addr string) *jscorev1.GetStatsResponse {
	t.Helper()
	c, err := jscore.Dial(addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	s, err := c.Stats(ctxT(t))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// answered is how many requests of method a replica answered with code.
func answered(t *testing.T, addr, method string, code codes.Code) uint64 {
	t.Helper()
	for _, r := range directStats(t, addr).GetRequests() {
		if r.GetMethod() == method && codes.Code(r.GetCode()) == code {
			return r.GetCount()
		}
	}
	return 0
}

// warmUp waits (at most 5 s) until n replicas have answered through c: round_robin
// skips replicas whose connection is not ready yet.
func warmUp(t *testing.T, c *jscore.Client, n int) {
	t.Helper()
	seen := map[string]bool{}
	for deadline := time.Now().Add(5 * time.Second); len(seen) < n && time.Now().Before(deadline); {
		s, err := c.Stats(ctxT(t))
		if err == nil {
			seen[s.GetReplica()] = true
		}
	}
	if len(seen) < n {
		t.Fatalf("only %v answered within 5 s", seen)
	}
}

// dialReplicas connects to addrs (closed at the end of the test) and waits until
// `live` replicas have answered through it.
func dialReplicas(t *testing.T, addrs []string, live int, opts ...jscore.Option) *jscore.Client {
	t.Helper()
	c, err := jscore.DialReplicas(addrs, opts...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	warmUp(t, c, live)
	return c
}

func TestReplicasSpreadLoad(t *testing.T) {
	_, addrs := startReplicas(t)
	c := dialReplicas(t, addrs, replicaCount)
	var wg sync.WaitGroup
	errs := make(chan error, 300)
	for g := 0; g < 4; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			for i := 0; i < 75; i++ {
				n := g*1000 + i
				r, err := c.Evaluate(ctxT(t), fmt.Sprintf("%d * 2", n))
				if err != nil {
					errs <- err
					return
				}
				var got int
				if err := r.Decode(&got); err != nil || got != 2*n {
					errs <- fmt.Errorf("%d * 2 = %v (%v)", n, got, err)
					return
				}
			}
		}(g)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	var served []uint64
	total := uint64(0)
	for _, a := range addrs {
		n := answered(t, a, "Evaluate", codes.OK)
		served = append(served, n)
		total += n
		if n < 60 { // round_robin: about 100 each
			t.Errorf("replica %s served %d of 300", a, n)
		}
	}
	if total != 300 {
		t.Errorf("served %v, total %d, want 300", served, total)
	}
	t.Logf("300 evaluations over 3 replicas: %v", served)
}

func TestReplicasProgramsAndSessions(t *testing.T) {
	_, addrs := startReplicas(t)
	c := dialReplicas(t, addrs, replicaCount)
	p, err := c.LoadProgram(ctxT(t), "function sign(x) { return 'v:' + x }")
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 30; i++ {
		r, err := p.Call(ctxT(t), "sign", i)
		if err != nil {
			t.Fatal(err)
		}
		if got := r.Value(); got != fmt.Sprintf("v:%d", i) {
			t.Fatalf("sign(%d) = %v", i, got)
		}
	}
	// Loaded once on each replica: by LoadProgram, then by the client when the other
	// two answered PROGRAM_NOT_LOADED naming themselves.
	misses := uint64(0)
	for _, a := range addrs {
		if n := answered(t, a, "LoadProgram", codes.OK); n != 1 {
			t.Errorf("replica %s loaded the program %d times, want 1", a, n)
		}
		if n := directStats(t, a).GetPrograms(); n != 1 {
			t.Errorf("replica %s holds %d programs", a, n)
		}
		misses += answered(t, a, "Call", codes.FailedPrecondition)
	}
	if misses != replicaCount-1 {
		t.Errorf("%d PROGRAM_NOT_LOADED answers, want %d", misses, replicaCount-1)
	}

	// Sessions: created round-robin, each keeps its state on its own replica.
	var sessions []*jscore.Session
	for i := 0; i < 6; i++ {
		s, err := p.NewSession(ctxT(t), jscore.Source("var n = 0; function inc() { return ++n }"))
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		sessions = append(sessions, s)
	}
	holders := map[string]uint64{}
	for _, s := range sessions {
		holders[s.Replica()]++
	}
	if len(holders) != replicaCount {
		t.Errorf("sessions on %v, want all %d replicas", holders, replicaCount)
	}
	for k := 1; k <= 10; k++ {
		for _, s := range sessions {
			r, err := s.Call(ctxT(t), "inc")
			if err != nil {
				t.Fatal(err)
			}
			if r.Value() != float64(k) {
				t.Fatalf("session on %s: inc() = %v, want %d", s.Replica(), r.Value(), k)
			}
		}
	}
	for _, a := range addrs {
		if n := directStats(t, a).GetSessions(); n != holders[a] {
			t.Errorf("replica %s holds %d sessions, want %d", a, n, holders[a])
		}
	}
	if err := p.Unload(ctxT(t)); err != nil {
		t.Fatal(err)
	}
	for _, a := range addrs {
		if n := directStats(t, a).GetPrograms(); n != 0 {
			t.Errorf("replica %s still holds %d programs after Unload", a, n)
		}
	}
}

// runUntilKilled evaluates (each awaiting 30 ms) from `goroutines` goroutines; after
// 60 successes it SIGKILLs victim; after 150 more it stops. It returns the outcomes
// (by code) and how many requests were in flight at the kill.
func runUntilKilled(t *testing.T, c *jscore.Client, victim *daemonProcess, goroutines int) (map[codes.Code]int, int) {
	t.Helper()
	var mu sync.Mutex
	outcomes := map[codes.Code]int{}
	ok, okAfterKill, inFlight, inFlightAtKill := 0, 0, 0, -1
	killed, stop := false, false
	deadline := time.Now().Add(60 * time.Second)
	stopped := func() bool {
		mu.Lock()
		defer mu.Unlock()
		return stop || time.Now().After(deadline)
	}
	var wg sync.WaitGroup
	for g := 0; g < goroutines; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			for i := 0; !stopped(); i++ {
				want := g*100000 + i
				mu.Lock()
				inFlight++
				mu.Unlock()
				r, err := c.Evaluate(context.Background(), fmt.Sprintf("new Promise(r => setTimeout(() => r(%d), 30))", want))
				code := jscore.Code(err)
				if err == nil && r.Value() != float64(want) {
					code = codes.DataLoss // a wrong value: never expected
				}
				mu.Lock()
				inFlight--
				outcomes[code]++
				if code == codes.OK {
					ok++
					if killed {
						okAfterKill++
					}
				}
				if !killed && ok >= 60 {
					inFlightAtKill = inFlight
					_ = victim.cmd.Process.Kill()
					killed = true
				}
				if okAfterKill >= 150 || (code != codes.OK && code != codes.Unavailable) {
					stop = true
				}
				mu.Unlock()
			}
		}(g)
	}
	wg.Wait()
	<-victim.done
	if okAfterKill < 150 {
		t.Fatalf("did not finish within 60 s: %v", outcomes)
	}
	return outcomes, inFlightAtKill
}

func TestReplicasKillOneLosesOnlyInFlight(t *testing.T) {
	ds, addrs := startReplicas(t)
	const goroutines = 6

	// Without retries: only the requests in flight on the killed replica fail, with
	// UNAVAILABLE; its sessions are gone, the others' keep their state.
	c := dialReplicas(t, addrs, replicaCount, jscore.WithRetries(0))
	var doomed, survivor *jscore.Session
	for doomed == nil || survivor == nil {
		s, err := c.NewSession(ctxT(t), jscore.Source("var n = 0; function inc() { return ++n }"))
		if err != nil {
			t.Fatal(err)
		}
		switch {
		case s.Replica() == addrs[0] && doomed == nil:
			doomed = s
		case s.Replica() != addrs[0] && survivor == nil:
			survivor = s
		default:
			s.Close()
		}
	}
	for _, s := range []*jscore.Session{doomed, survivor} {
		if r, err := s.Call(ctxT(t), "inc"); err != nil || r.Value() != float64(1) {
			t.Fatalf("inc() on %s: %v %v", s.Replica(), r, err)
		}
	}
	outcomes, inFlight := runUntilKilled(t, c, ds[0], goroutines)
	for code, n := range outcomes {
		if code != codes.OK && code != codes.Unavailable {
			t.Errorf("%d requests ended %v (all outcomes %v)", n, code, outcomes)
		}
	}
	if outcomes[codes.Unavailable] > goroutines {
		t.Errorf("%d UNAVAILABLE, more than the %d requests that can be in flight (%v)",
			outcomes[codes.Unavailable], goroutines, outcomes)
	}
	if _, err := doomed.Call(ctxT(t), "inc"); jscore.Code(err) != codes.Unavailable {
		t.Errorf("a session on the killed replica: %v, want UNAVAILABLE", err)
	}
	if r, err := survivor.Call(ctxT(t), "inc"); err != nil || r.Value() != float64(2) {
		t.Errorf("a session elsewhere: %v %v, want 2", r, err)
	}
	t.Logf("kill one, no retries: %v (%d in flight at the kill)", outcomes, inFlight)

	// With the default retries the requests in flight go to a live replica: none fails.
	c2 := dialReplicas(t, addrs, replicaCount-1)
	outcomes, inFlight = runUntilKilled(t, c2, ds[1], goroutines)
	if len(outcomes) != 1 || outcomes[codes.OK] == 0 {
		t.Errorf("with retries: %v, want only OK", outcomes)
	}
	t.Logf("kill one, retries on: %v (%d in flight at the kill)", outcomes, inFlight)
}
