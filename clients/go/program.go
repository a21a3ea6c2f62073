// Programs: compile once, call many times, re-sent when a daemon lost them.

package jscore

import (
	"context"
	"sync"
	"time"

	jscorev1 "jscore.dev/jscore/jscorev1"

	"google.golang.org/grpc/codes"
)

// Program is a script loaded on the daemon (Client.LoadProgram). It keeps its source,
// so when a daemon answers that it does not hold the program (a restart, another
// replica behind a load balancer, an unload) Call re-sends it and retries once.
// Safe for concurrent use.
type Program struct {
	c          *Client
	source     string
	filename   string
	modules    map[string]string
	sourceType jscorev1.SourceType
	browser    *jscorev1.BrowserProfile
	timeout    time.Duration

	mu sync.Mutex
	id string
}

// LoadProgram compiles src once on the daemon: a script by default, CommonJS or an ES
// module graph with CommonJS() or ESModule() and Modules, in the browser profile with
// Browser. A source that does not compile gives a *JsError (a SyntaxError, with its
// line and column).
//
//	p, err := c.LoadProgram(ctx, "export default (x) => x + 1;", jscore.ESModule())
//	r, err := p.Call(ctx, "default", 41) // 42
func (c *Client) LoadProgram(ctx context.Context, src string, opts ...ProgramOption) (*Program, error) {
	cfg := programConfig{timeout: c.timeout}
	for _, opt := range opts {
		opt.applyProgram(&cfg)
	}
	p := &Program{
		c: c, source: src, filename: cfg.filename, modules: cfg.modules,
		sourceType: cfg.sourceType, browser: cfg.browser, timeout: cfg.timeout,
	}
	if err := p.Reload(ctx); err != nil {
		return nil, err
	}
	return p, nil
}

// Validate checks that src compiles, keeping nothing; a *JsError says why not.
func (c *Client) Validate(ctx context.Context, src string, opts ...ProgramOption) error {
	cfg := programConfig{timeout: c.timeout}
	for _, opt := range opts {
		opt.applyProgram(&cfg)
	}
	p := &Program{source: src, filename: cfg.filename, modules: cfg.modules, sourceType: cfg.sourceType, browser: cfg.browser}
	req := p.loadRequest()
	req.ValidateOnly = true
	resp, err := unaryRetried(ctx, c, "LoadProgram", cfg.timeout, c.stub.LoadProgram, req)
	if err != nil {
		return err
	}
	if e := resp.GetError(); e != nil {
		return newJsError(e, nil)
	}
	return nil
}

// ID is the program id: the hex SHA-256 of its source and modules (and of its type
// and browser profile when they are set).
func (p *Program) ID() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.id
}

// Source is the program's source.
func (p *Program) Source() string { return p.source }

// Type is what the program's source is (CommonJS, ESModule; a script by default).
func (p *Program) Type() jscorev1.SourceType { return p.sourceType }

// loadRequest is the LoadProgramRequest of the program, as loaded and as re-sent.
func (p *Program) loadRequest() *jscorev1.LoadProgramRequest {
	req := &jscorev1.LoadProgramRequest{
		Source: p.source, Filename: p.filename, Modules: p.modules, Type: p.sourceType,
	}
	if p.browser != nil {
		req.Profile = jscorev1.Profile_PROFILE_BROWSER
		req.Browser = p.browser
	}
	return req
}

// Reload sends the program to the daemon again (what Call does when needed).
func (p *Program) Reload(ctx context.Context) error { return p.reloadAt(ctx, p.c.stub) }

func (p *Program) reloadAt(ctx context.Context, stub jscorev1.JsCoreClient) error {
	resp, err := unaryRetried(ctx, p.c, "LoadProgram", p.timeout, stub.LoadProgram, p.loadRequest())
	if err != nil {
		return err
	}
	if e := resp.GetError(); e != nil {
		return newJsError(e, nil)
	}
	p.mu.Lock()
	p.id = resp.GetProgram()
	p.mu.Unlock()
	return nil
}

// Unload drops the program from the daemon (on every worker), and from every replica
// with DialReplicas (NOT_FOUND only if none held it). A later Call loads it again.
func (p *Program) Unload(ctx context.Context) error {
	req := &jscorev1.UnloadProgramRequest{Program: p.ID()}
	if len(p.c.replicas) < 2 {
		_, err := unary(ctx, p.c, "UnloadProgram", p.timeout, p.c.stub.UnloadProgram, req)
		return err
	}
	var notFound error
	held := 0
	for _, replica := range p.c.replicas {
		_, err := unary(ctx, p.c, "UnloadProgram", p.timeout, p.c.stubAt(replica).UnloadProgram, req)
		switch {
		case err == nil:
			held++
		case Code(err) == codes.NotFound:
			notFound = err
		default:
			return err
		}
	}
	if held == 0 {
		return notFound
	}
	return nil
}

// Call calls function(args...): function is a dotted path whose first name is a
// top-level binding of the program (function, var, const, let, class), or an export of
// an ES module program ("default"), or a property of a CommonJS program's
// module.exports; then properties ("sign", "CryptoLib.encrypt"); arguments are converted as ToValue does; a returned
// promise is awaited. The function throwing gives a *JsError.
func (p *Program) Call(ctx context.Context, function string, args ...any) (*Result, error) {
	return p.CallWith(ctx, function, args)
}

// CallWith is Call with options (Timeout, Fresh, RandomSeed, FrozenTime).
func (p *Program) CallWith(ctx context.Context, function string, args []any, opts ...EvalOption) (*Result, error) {
	cfg := p.c.evalConfig(opts)
	req, err := callRequest(function, args, &cfg)
	if err != nil {
		return nil, err
	}
	req.Target = &jscorev1.CallRequest_Program{Program: p.ID()}
	stub := p.c.stub
	resp, err := unaryRetried(ctx, p.c, "Call", cfg.timeout, stub.Call, req)
	for attempt := 0; isProgramNotLoaded(err) && attempt < p.c.reloadAttempts(); attempt++ {
		// Back to the replica that lacks it (with several replicas): re-send, retry there.
		stub = p.c.stubAt(replicaOf(err))
		if err := p.reloadAt(ctx, stub); err != nil {
			return nil, err
		}
		req.Target = &jscorev1.CallRequest_Program{Program: p.ID()}
		resp, err = unaryRetried(ctx, p.c, "Call", cfg.timeout, stub.Call, req)
	}
	if err != nil {
		return nil, err
	}
	return resultOf(resp)
}

// NewSession creates a session that starts from this program's globals.
func (p *Program) NewSession(ctx context.Context, opts ...SessionOption) (*Session, error) {
	return p.c.NewSession(ctx, append([]SessionOption{FromProgram(p)}, opts...)...)
}

func isProgramNotLoaded(err error) bool {
	se, ok := err.(*StatusError)
	return ok && se.ProgramNotLoaded()
}
