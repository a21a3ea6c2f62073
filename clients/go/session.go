// Sessions: a JS context kept on the daemon, pinned to one worker.

package jscore

import (
	"context"
	"sync"

	jscorev1 "jscore.dev/jscore/jscorev1"

	"google.golang.org/grpc/codes"
)

// Session is one JS context on the daemon that keeps its globals between requests
// (the analogue of never_jscore's Context). The daemon runs a session's requests one
// at a time, in arrival order. Safe for concurrent use. Close it when done
// (defer s.Close()); otherwise the daemon deletes it after its idle TTL.
type Session struct {
	c       *Client
	id      string
	worker  int
	replica string
	stub    jscorev1.JsCoreClient // to the replica that holds it

	closeOnce sync.Once
	closeErr  error
}

// NewSession creates a session (options: TTL, FromProgram, Source, NoExtensions,
// RandomSeed, FrozenTime, Timeout). A Source that throws gives a *JsError.
func (c *Client) NewSession(ctx context.Context, opts ...SessionOption) (*Session, error) {
	cfg := sessionConfig{timeout: c.timeout}
	for _, opt := range opts {
		opt.applySession(&cfg)
	}
	req := &jscorev1.CreateSessionRequest{
		Program:      cfg.programID,
		Source:       cfg.source,
		Ttl:          durationOrNil(cfg.ttl),
		RandomSeed:   cfg.randomSeed,
		FrozenTimeMs: cfg.frozenTimeMs,
	}
	if cfg.browser != nil {
		req.Profile = jscorev1.Profile_PROFILE_BROWSER
		req.Browser = cfg.browser
	}
	if cfg.program != nil {
		req.Program = cfg.program.ID()
	}
	if cfg.noExtensions {
		req.Extensions = jscorev1.Extensions_EXTENSIONS_NONE
	}
	stub := c.stub
	resp, err := unaryRetried(ctx, c, "CreateSession", cfg.timeout, stub.CreateSession, req)
	for attempt := 0; cfg.program != nil && isProgramNotLoaded(err) && attempt < c.reloadAttempts(); attempt++ {
		// Back to the replica that lacks the program: re-send it, create the session there.
		stub = c.stubAt(replicaOf(err))
		if err := cfg.program.reloadAt(ctx, stub); err != nil {
			return nil, err
		}
		req.Program = cfg.program.ID()
		resp, err = unaryRetried(ctx, c, "CreateSession", cfg.timeout, stub.CreateSession, req)
	}
	if err != nil {
		return nil, err
	}
	if e := resp.GetError(); e != nil {
		return nil, newJsError(e, nil)
	}
	return &Session{
		c:       c,
		id:      resp.GetSession(),
		worker:  int(resp.GetWorker()),
		replica: resp.GetReplica(),
		stub:    c.stubAt(resp.GetReplica()),
	}, nil
}

// ID is the session id.
func (s *Session) ID() string { return s.id }

// Worker is the daemon worker the session lives on.
func (s *Session) Worker() int { return s.worker }

// Replica is the address of the replica that holds the session ("" if the daemon
// advertises none). With DialReplicas, the session's requests go there.
func (s *Session) Replica() string { return s.replica }

// Compile runs src in the session for its definitions (top-level var and function
// declarations persist); the value is discarded.
func (s *Session) Compile(ctx context.Context, src string, opts ...EvalOption) error {
	_, err := s.Evaluate(ctx, src, opts...)
	return err
}

// Evaluate runs src in the session and returns its value (options: Globals, Global,
// Timeout, Filename).
func (s *Session) Evaluate(ctx context.Context, src string, opts ...EvalOption) (*Result, error) {
	cfg := s.c.evalConfig(opts)
	req, err := evaluateRequest(src, s.id, &cfg)
	if err != nil {
		return nil, err
	}
	resp, err := unary(ctx, s.c, "Evaluate", cfg.timeout, s.stub.Evaluate, req)
	if err != nil {
		return nil, err
	}
	return resultOf(resp)
}

// Call calls the session's function(args...) (a dotted path); a promise is awaited.
func (s *Session) Call(ctx context.Context, function string, args ...any) (*Result, error) {
	return s.CallWith(ctx, function, args)
}

// CallWith is Call with options (Timeout).
func (s *Session) CallWith(ctx context.Context, function string, args []any, opts ...EvalOption) (*Result, error) {
	cfg := s.c.evalConfig(opts)
	req, err := callRequest(function, args, &cfg)
	if err != nil {
		return nil, err
	}
	req.Target = &jscorev1.CallRequest_Session{Session: s.id}
	resp, err := unary(ctx, s.c, "Call", cfg.timeout, s.stub.Call, req)
	if err != nil {
		return nil, err
	}
	return resultOf(resp)
}

// Close deletes the session on the daemon, within the client's timeout. Idempotent;
// a session the daemon already dropped (TTL, isolate replaced) is not an error here.
func (s *Session) Close() error { return s.CloseContext(context.Background()) }

// CloseContext is Close with a context.
func (s *Session) CloseContext(ctx context.Context) error {
	s.closeOnce.Do(func() {
		_, err := unary(ctx, s.c, "DeleteSession", s.c.timeout, s.stub.DeleteSession,
			&jscorev1.DeleteSessionRequest{Session: s.id})
		if Code(err) == codes.NotFound {
			err = nil
		}
		s.closeErr = err
	})
	return s.closeErr
}
