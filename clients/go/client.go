// Client: one gRPC connection to a jscored daemon, shared by any number of goroutines.

package jscore

import (
	"context"
	"crypto/tls"
	"fmt"
	"time"

	jscorev1 "jscore.dev/jscore/jscorev1"

	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
	"google.golang.org/grpc/metadata"
	"google.golang.org/protobuf/types/known/durationpb"
)

// DefaultTimeout is the timeout of each request unless WithTimeout says otherwise;
// it is also the daemon's default (--default_timeout).
const DefaultTimeout = 5 * time.Second

// maxMessageBytes matches the daemon's --max_message_bytes default.
const maxMessageBytes = 64 << 20

// Client is a connection to a jscored daemon. It is safe for concurrent use; create one
// and share it. Close it when done.
type Client struct {
	conn    *grpc.ClientConn
	stub    jscorev1.JsCoreClient
	health  healthpb.HealthClient
	timeout time.Duration
	md      metadata.MD
	target  string
	retries int

	replicas       []string          // DialReplicas' list
	pinDialOptions []grpc.DialOption // for a connection to one replica
	pinned         pinnedConns
}

// Option configures Dial.
type Option func(*dialConfig)

type dialConfig struct {
	timeout     time.Duration
	creds       credentials.TransportCredentials
	token       string
	md          metadata.MD
	dialOptions []grpc.DialOption
	retries     int
}

// WithTimeout sets the default timeout of each request: the daemon stops a script that
// runs longer (DEADLINE_EXCEEDED). 0 leaves it to the daemon's --default_timeout.
// A request's own Timeout option, or its context's deadline, may shorten it.
func WithTimeout(d time.Duration) Option { return func(c *dialConfig) { c.timeout = d } }

// WithTLS connects with TLS (a nil config uses the system roots).
func WithTLS(config *tls.Config) Option {
	return func(c *dialConfig) {
		if config == nil {
			config = &tls.Config{}
		}
		c.creds = credentials.NewTLS(config)
	}
}

// WithCredentials connects with these transport credentials (TLS, ALTS...).
func WithCredentials(creds credentials.TransportCredentials) Option {
	return func(c *dialConfig) { c.creds = creds }
}

// WithToken sends "authorization: Bearer <token>" with every RPC (the daemon's
// --auth_token_file). The token is sent on plaintext connections too, which the
// daemon accepts on loopback: use WithTLS anywhere else.
func WithToken(token string) Option { return func(c *dialConfig) { c.token = token } }

// WithMetadata sends these key/value pairs with every RPC.
func WithMetadata(kv ...string) Option {
	return func(c *dialConfig) { c.md = metadata.Join(c.md, metadata.Pairs(kv...)) }
}

// WithDialOptions passes gRPC dial options through (load balancing, interceptors,
// keepalive, grpc.WithBlock...). They come after the client's own.
func WithDialOptions(opts ...grpc.DialOption) Option {
	return func(c *dialConfig) { c.dialOptions = append(c.dialOptions, opts...) }
}

// Dial connects to a daemon at target ("127.0.0.1:50051", "dns:///jscore:50051"...).
// Like grpc.Dial it does not wait for the connection unless grpc.WithBlock is passed.
// For several replicas, see DialReplicas.
func Dial(target string, opts ...Option) (*Client, error) { return dial(target, nil, opts) }

// dial connects to target with the client's options; balancing applies to this
// connection only, not to the connections pinned to one replica.
func dial(target string, balancing []grpc.DialOption, opts []Option) (*Client, error) {
	cfg := dialConfig{timeout: DefaultTimeout, retries: DefaultRetries}
	for _, opt := range opts {
		opt(&cfg)
	}
	if cfg.timeout < 0 {
		return nil, fmt.Errorf("jscore: negative timeout %v", cfg.timeout)
	}
	if cfg.retries < 0 {
		return nil, fmt.Errorf("jscore: negative retries %d", cfg.retries)
	}
	dialOptions := []grpc.DialOption{
		grpc.WithDefaultCallOptions(
			grpc.MaxCallRecvMsgSize(maxMessageBytes), grpc.MaxCallSendMsgSize(maxMessageBytes),
			grpc.ForceCodec(codec{})),
	}
	if cfg.creds != nil {
		dialOptions = append(dialOptions, grpc.WithTransportCredentials(cfg.creds))
	} else {
		dialOptions = append(dialOptions, grpc.WithInsecure())
	}
	if cfg.token != "" {
		dialOptions = append(dialOptions, grpc.WithPerRPCCredentials(bearerToken(cfg.token)))
	}
	pin := append(append([]grpc.DialOption(nil), dialOptions...), cfg.dialOptions...)
	all := append(append(append([]grpc.DialOption(nil), dialOptions...), balancing...), cfg.dialOptions...)
	conn, err := grpc.Dial(target, all...)
	if err != nil {
		return nil, fmt.Errorf("jscore: dial %s: %w", target, err)
	}
	return &Client{
		conn:           conn,
		stub:           jscorev1.NewJsCoreClient(conn),
		health:         healthpb.NewHealthClient(conn),
		timeout:        cfg.timeout,
		md:             cfg.md,
		target:         target,
		retries:        cfg.retries,
		pinDialOptions: pin,
	}, nil
}

type bearerToken string

func (t bearerToken) GetRequestMetadata(context.Context, ...string) (map[string]string, error) {
	return map[string]string{"authorization": "Bearer " + string(t)}, nil
}

// RequireTransportSecurity is false so that a token works on loopback without TLS.
func (bearerToken) RequireTransportSecurity() bool { return false }

// Close closes the connection. Requests in flight fail with CANCELED.
func (c *Client) Close() error {
	c.closePinned()
	return c.conn.Close()
}

// Conn is the underlying gRPC connection.
func (c *Client) Conn() *grpc.ClientConn { return c.conn }

// Stub is the raw jscore.v1.JsCore stub, for what this API does not cover.
func (c *Client) Stub() jscorev1.JsCoreClient { return c.stub }

// Target is the address the client dialed.
func (c *Client) Target() string { return c.target }

// Health asks the daemon's grpc.health.v1 service ("" is the whole server) and returns
// "SERVING", "NOT_SERVING"...
func (c *Client) Health(ctx context.Context, service string) (string, error) {
	ctx, cancel := c.rpcContext(ctx, c.timeout)
	defer cancel()
	resp, err := c.health.Check(ctx, &healthpb.HealthCheckRequest{Service: service})
	if err != nil {
		return "", statusError("Health", err, nil)
	}
	return resp.GetStatus().String(), nil
}

// Stats returns the daemon's counters: workers, queue, timeouts, programs, sessions.
func (c *Client) Stats(ctx context.Context) (*jscorev1.GetStatsResponse, error) {
	ctx, cancel := c.rpcContext(ctx, c.timeout)
	defer cancel()
	var trailer metadata.MD
	resp, err := c.stub.GetStats(ctx, &jscorev1.GetStatsRequest{}, grpc.Trailer(&trailer))
	if err != nil {
		return nil, statusError("GetStats", err, trailer)
	}
	return resp, nil
}

// rpcContext adds the client's metadata, and a deadline a little past the script's
// timeout when ctx has none, so that the daemon reports an overrun (with its message)
// before the client gives up on the call.
func (c *Client) rpcContext(ctx context.Context, timeout time.Duration) (context.Context, context.CancelFunc) {
	ctx = c.withMetadata(ctx)
	if _, has := ctx.Deadline(); has || timeout <= 0 {
		return ctx, func() {}
	}
	return context.WithTimeout(ctx, rpcDeadline(timeout))
}

// withMetadata adds the client's metadata (WithMetadata) to ctx's outgoing metadata.
func (c *Client) withMetadata(ctx context.Context) context.Context {
	if len(c.md) == 0 {
		return ctx
	}
	md, _ := metadata.FromOutgoingContext(ctx)
	return metadata.NewOutgoingContext(ctx, metadata.Join(md, c.md))
}

func rpcDeadline(timeout time.Duration) time.Duration {
	slack := timeout / 10
	if slack < time.Second {
		slack = time.Second
	}
	return timeout + slack
}

func durationOrNil(d time.Duration) *durationpb.Duration {
	if d <= 0 {
		return nil
	}
	return durationpb.New(d)
}

// unary runs one unary RPC and turns its failure into a *StatusError.
func unary[Req, Resp any](ctx context.Context, c *Client, op string, timeout time.Duration,
	call func(context.Context, Req, ...grpc.CallOption) (Resp, error), req Req) (Resp, error) {
	ctx, cancel := c.rpcContext(ctx, timeout)
	defer cancel()
	var trailer metadata.MD
	resp, err := call(ctx, req, grpc.Trailer(&trailer))
	if err != nil {
		var zero Resp
		return zero, statusError(op, err, trailer)
	}
	return resp, nil
}
