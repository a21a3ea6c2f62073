// Several replicas behind one Client: round_robin over a static address list, the
// requests that need one replica (a session's, a program re-sent) pinned to it, and
// UNAVAILABLE retried for the requests that have no effect outside the daemon.

package jscore

import (
	"context"
	"fmt"
	"net"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	jscorev1 "jscore.dev/jscore/jscorev1"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/resolver"
	"google.golang.org/grpc/resolver/manual"
)

// DefaultRetries is how many more times the client sends a request that failed
// UNAVAILABLE (a replica gone or shutting down) when the request has no effect
// outside the daemon: evaluations and calls outside sessions, program loads, session
// creation, stats. Requests inside a session are never re-sent (the session lives on
// one replica).
const DefaultRetries = 3

// WithRetries sets how many more attempts a request that failed UNAVAILABLE gets
// (see DefaultRetries); 0 turns retries off. The client retries on its own: Debian's
// grpc-go 1.33 applies a service config's retryPolicy only with GRPC_GO_RETRY=on.
func WithRetries(n int) Option { return func(c *dialConfig) { c.retries = n } }

var resolverSerial atomic.Int64

// DialReplicas connects to several jscored replicas at once, given as IP:port (or
// host:port) addresses, and spreads requests over them with gRPC's round_robin
// policy. A session's requests go to the replica that holds it (each replica
// advertises its address: --advertise_address), and a program is re-sent to a replica
// that answers that it lacks it. Replicas that go away are skipped by the balancer;
// requests that were in flight on them fail UNAVAILABLE and are retried elsewhere
// when that is safe (WithRetries).
func DialReplicas(addresses []string, opts ...Option) (*Client, error) {
	if len(addresses) == 0 {
		return nil, fmt.Errorf("jscore: no replica address given")
	}
	state := resolver.State{}
	for _, a := range addresses {
		if _, _, err := net.SplitHostPort(a); err != nil {
			return nil, fmt.Errorf("jscore: replica address %q: %w", a, err)
		}
		state.Addresses = append(state.Addresses, resolver.Address{Addr: a})
	}
	// A resolver of this client's own (WithResolvers), that always answers the list.
	scheme := fmt.Sprintf("jscore-replicas-%d", resolverSerial.Add(1))
	r := manual.NewBuilderWithScheme(scheme)
	r.InitialState(state)
	balancing := []grpc.DialOption{
		grpc.WithResolvers(r),
		grpc.WithDefaultServiceConfig(`{"loadBalancingConfig": [{"round_robin": {}}]}`),
	}
	c, err := dial(scheme+":///"+strings.Join(addresses, ","), balancing, opts)
	if err != nil {
		return nil, err
	}
	c.replicas = append([]string(nil), addresses...)
	return c, nil
}

// Replicas is the address list given to DialReplicas (nil for Dial).
func (c *Client) Replicas() []string { return append([]string(nil), c.replicas...) }

// pinnedConns holds one connection per replica, for the requests that must reach it.
type pinnedConns struct {
	mu    sync.Mutex
	conns map[string]*grpc.ClientConn
}

// stubAt is the stub for requests that must reach replica: a connection of its own
// when the client balances over several replicas, else the client's connection.
func (c *Client) stubAt(replica string) jscorev1.JsCoreClient {
	if replica == "" || len(c.replicas) < 2 {
		return c.stub
	}
	c.pinned.mu.Lock()
	defer c.pinned.mu.Unlock()
	conn, ok := c.pinned.conns[replica]
	if !ok {
		var err error
		conn, err = grpc.Dial(replica, c.pinDialOptions...)
		if err != nil { // grpc.Dial fails only on bad options, which Dial already accepted
			return c.stub
		}
		if c.pinned.conns == nil {
			c.pinned.conns = map[string]*grpc.ClientConn{}
		}
		c.pinned.conns[replica] = conn
	}
	return jscorev1.NewJsCoreClient(conn)
}

func (c *Client) closePinned() {
	c.pinned.mu.Lock()
	defer c.pinned.mu.Unlock()
	for _, conn := range c.pinned.conns {
		_ = conn.Close()
	}
	c.pinned.conns = nil
}

// replicaOf is the replica that the error's detail names ("" if none).
func replicaOf(err error) string {
	if se, ok := err.(*StatusError); ok && se.Detail != nil {
		return se.Detail.GetReplica()
	}
	return ""
}

// reloadAttempts is how many times a request re-sends a program that a replica lacks:
// each miss names its replica and the program goes back there, so one is enough;
// replicas that name no address are reached by the balancer in turn, so allow one
// per replica, and one more.
func (c *Client) reloadAttempts() int { return len(c.replicas) + 1 }

// unaryRetried is unary for requests that are safe to send again: an UNAVAILABLE
// answer gets up to c.retries more attempts, with a growing pause (50 ms, doubling,
// at most 1 s), within ctx.
func unaryRetried[Req, Resp any](ctx context.Context, c *Client, op string, timeout time.Duration,
	call func(context.Context, Req, ...grpc.CallOption) (Resp, error), req Req) (Resp, error) {
	pause := 50 * time.Millisecond
	for attempt := 0; ; attempt++ {
		resp, err := unary(ctx, c, op, timeout, call, req)
		if err == nil || attempt >= c.retries || Code(err) != codes.Unavailable {
			return resp, err
		}
		select {
		case <-ctx.Done():
			return resp, err
		case <-time.After(pause):
		}
		if pause *= 2; pause > time.Second {
			pause = time.Second
		}
	}
}
