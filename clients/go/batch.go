// Batch: many evaluations and calls through one Batch stream.

package jscore

import (
	"context"
	"fmt"
	"io"
	"strconv"
	"sync"
	"time"

	jscorev1 "jscore.dev/jscore/jscorev1"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/proto"
)

// DefaultWindow is the default number of batch items in flight (the daemon's
// --batch_window default).
const DefaultWindow = 256

// BatchItem is one evaluation (Source) or one call (Function, of Program or Session).
type BatchItem struct {
	// ID is echoed on the result; by default the item's position ("0", "1"...).
	// IDs need not be unique: results are matched to items by the client.
	ID string

	// An evaluation: Source runs in a fresh context, or in Session when set.
	Source  string
	Globals map[string]any // defined in sorted name order, then OrderedGlobals
	// OrderedGlobals are defined in their order (after Globals).
	OrderedGlobals Object

	// A call: Function (a dotted path) of Program or of Session, with Args.
	Function string
	Args     []any
	// Program is re-sent and the item retried once if the daemon lost it.
	Program *Program
	Session *Session

	Timeout  time.Duration // 0: the client's timeout
	Fresh    bool          // a program call in a fresh copy of the program's context
	Filename string        // for evaluations, shown in stack traces
	// For fresh evaluations: what Source is (CommonJS, an ES module; a script by
	// default) and the files require() and import reach (see Modules).
	Type    jscorev1.SourceType
	Modules map[string]string
}

// BatchResult is the outcome of one item: Value (and Result) when it produced a
// value, else Err: a *JsError, a *Hooked, or a *StatusError (the item hit a limit, or
// the stream failed before the item was answered).
type BatchResult struct {
	ID     string
	Index  int // the item's position in the input
	Value  any
	Result *Result
	Err    error
}

// Decode stores the item's value in target (see Decode), or returns its error.
func (r BatchResult) Decode(target any) error {
	if r.Err != nil {
		return r.Err
	}
	return Decode(r.Value, target)
}

// BatchOption configures Batch.
type BatchOption func(*batchConfig)

type batchConfig struct{ window int }

// Window bounds the items in flight (sent and not yet answered); default DefaultWindow.
// The daemon has its own bound (--batch_window).
func Window(n int) BatchOption { return func(c *batchConfig) { c.window = n } }

// Batch sends items through one Batch stream and returns their results on a channel,
// in completion order. Every item gets exactly one result, then the channel is
// closed: an item that cannot be sent (a bad argument) or that was unanswered when
// the stream failed gets an error result. Cancelling ctx (or its deadline) stops the
// batch: items still pending fail, and results nobody reads any more are dropped.
//
//	for r := range c.Batch(ctx, items) {
//	    if r.Err != nil { ... }
//	}
func (c *Client) Batch(ctx context.Context, items []BatchItem, opts ...BatchOption) <-chan BatchResult {
	i := 0
	return c.runBatch(ctx, func() (BatchItem, bool) {
		if i >= len(items) {
			return BatchItem{}, false
		}
		i++
		return items[i-1], true
	}, opts)
}

// BatchFrom is Batch for items produced lazily: it reads in until it is closed (or ctx
// is done), at most the window ahead of the results.
func (c *Client) BatchFrom(ctx context.Context, in <-chan BatchItem, opts ...BatchOption) <-chan BatchResult {
	return c.runBatch(ctx, func() (BatchItem, bool) {
		select {
		case item, ok := <-in:
			return item, ok
		case <-ctx.Done():
			return BatchItem{}, false
		}
	}, opts)
}

type pendingItem struct {
	index   int
	id      string
	req     *jscorev1.BatchRequest
	program *Program
	sentAt  uint64 // send sequence number, to re-send a program once for many items
	retried bool
}

type batchRun struct {
	c      *Client
	ctx    context.Context
	stream jscorev1.JsCore_BatchClient
	out    chan BatchResult
	slots  chan struct{}

	sendMu     sync.Mutex // Send and CloseSend
	closedSend bool
	sentFirst  bool // the first message went out (it asks for packed results)

	mu         sync.Mutex
	pending    map[string]*pendingItem // by wire id
	seq        uint64
	exhausted  bool
	broken     error
	brokenCh   chan struct{}
	reloadedAt map[*Program]uint64
}

func (c *Client) runBatch(ctx context.Context, next func() (BatchItem, bool), opts []BatchOption) <-chan BatchResult {
	cfg := batchConfig{window: DefaultWindow}
	for _, opt := range opts {
		opt(&cfg)
	}
	if cfg.window < 1 {
		cfg.window = 1
	}
	ctx, cancel := context.WithCancel(ctx)
	b := &batchRun{
		c:          c,
		ctx:        ctx,
		out:        make(chan BatchResult, cfg.window),
		slots:      make(chan struct{}, cfg.window),
		pending:    map[string]*pendingItem{},
		brokenCh:   make(chan struct{}),
		reloadedAt: map[*Program]uint64{},
	}
	// The stream has no deadline of its own (ctx may have one); each item has its timeout.
	stream, err := c.stub.Batch(c.withMetadata(ctx))
	var wg sync.WaitGroup
	if err != nil {
		b.breakWith(statusError("Batch", err, nil))
	} else {
		b.stream = stream
		wg.Add(1)
		go func() { defer wg.Done(); b.receive() }()
	}
	wg.Add(1)
	go func() { defer wg.Done(); b.send(next) }()
	go func() {
		wg.Wait()
		close(b.out)
		cancel()
	}()
	return b.out
}

func (b *batchRun) deliver(r BatchResult) {
	select {
	case b.out <- r:
	case <-b.ctx.Done():
	}
}

// breakWith records the stream's failure (the first one wins) and wakes the sender.
func (b *batchRun) breakWith(err error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.broken == nil {
		b.broken = err
		close(b.brokenCh)
	}
}

// send runs on its own goroutine: it turns items into requests, at most the window
// ahead of the results, then half-closes the stream once every result is in.
func (b *batchRun) send(next func() (BatchItem, bool)) {
	for index := 0; ; index++ {
		select {
		case b.slots <- struct{}{}:
		case <-b.brokenCh:
		}
		item, ok := next()
		if !ok {
			b.release()
			b.mu.Lock()
			b.exhausted = true
			b.mu.Unlock()
			b.maybeCloseSend()
			return
		}
		id := item.ID
		if id == "" {
			id = strconv.Itoa(index)
		}
		req, err := b.request(item)
		if err != nil {
			b.deliver(BatchResult{ID: id, Index: index, Err: err})
			b.release()
			continue
		}
		p := &pendingItem{index: index, id: id, req: req, program: item.Program}
		b.mu.Lock()
		if b.broken != nil {
			err := b.broken
			b.mu.Unlock()
			b.deliver(BatchResult{ID: id, Index: index, Err: err})
			b.release()
			continue
		}
		b.track(p)
		b.mu.Unlock()
		b.sendRequest(p.req)
	}
}

// track gives p a fresh wire id and remembers it; b.mu is held.
func (b *batchRun) track(p *pendingItem) {
	b.seq++
	p.sentAt = b.seq
	p.req.Id = strconv.FormatUint(b.seq, 10)
	b.pending[p.req.Id] = p
}

func (b *batchRun) sendRequest(req *jscorev1.BatchRequest) {
	b.sendMu.Lock()
	defer b.sendMu.Unlock()
	if b.closedSend {
		return
	}
	if !b.sentFirst {
		// This client reads results several to a message (BatchResponse.more).
		b.sentFirst = true
		req = proto.Clone(req).(*jscorev1.BatchRequest)
		req.PackedResults = true
	}
	// A failed Send means the stream is over; Recv reports why.
	_ = b.stream.Send(req)
}

func (b *batchRun) release() {
	select {
	case <-b.slots:
	default: // the slot was never taken (the stream broke)
	}
}

// maybeCloseSend half-closes the stream when no item is left to send or to retry.
func (b *batchRun) maybeCloseSend() {
	b.mu.Lock()
	done := b.exhausted && len(b.pending) == 0 && b.broken == nil
	b.mu.Unlock()
	if !done || b.stream == nil {
		return
	}
	b.sendMu.Lock()
	defer b.sendMu.Unlock()
	if !b.closedSend {
		b.closedSend = true
		_ = b.stream.CloseSend()
	}
}

// handle matches one result to its item: delivers it, or retries the item if the
// daemon lost its program.
func (b *batchRun) handle(resp *jscorev1.BatchResponse) {
	b.mu.Lock()
	p := b.pending[resp.GetId()]
	delete(b.pending, resp.GetId())
	b.mu.Unlock()
	if p == nil {
		return // not ours
	}
	if codes.Code(resp.GetCode()) == codes.FailedPrecondition && p.program != nil && !p.retried {
		err := b.retry(p)
		if err == nil {
			return // the item keeps its slot
		}
		b.deliver(BatchResult{ID: p.id, Index: p.index, Err: err})
		b.release()
		return
	}
	b.deliver(batchResult(p, resp))
	b.release()
	b.maybeCloseSend()
}

// receive runs on its own goroutine: it matches results to items, retries items whose
// program the daemon lost, and fails what is left when the stream ends.
func (b *batchRun) receive() {
	for {
		message, err := b.stream.Recv()
		if err == io.EOF {
			// Normal when every item was answered (the stream was half-closed then).
			b.mu.Lock()
			early := !b.exhausted || len(b.pending) > 0
			b.mu.Unlock()
			if early {
				b.breakWith(&StatusError{Op: "Batch", status: status.New(codes.Unavailable,
					"the daemon ended the stream before every item was answered")})
			}
			break
		}
		if err != nil {
			b.breakWith(statusError("Batch", err, b.stream.Trailer()))
			break
		}
		b.handle(message)
		for _, more := range message.GetMore() {
			b.handle(more)
		}
	}
	// Whatever is still pending failed with the stream.
	b.mu.Lock()
	err := b.broken
	left := b.pending
	b.pending = map[string]*pendingItem{}
	b.mu.Unlock()
	if err == nil {
		return
	}
	for _, p := range left {
		b.deliver(BatchResult{ID: p.id, Index: p.index, Err: err})
		b.release()
	}
}

// retry re-sends the item's program (unless that was done since the item was sent),
// then the item.
func (b *batchRun) retry(p *pendingItem) error {
	b.mu.Lock()
	reload := b.reloadedAt[p.program] < p.sentAt
	if reload {
		b.reloadedAt[p.program] = b.seq + 1
	}
	b.mu.Unlock()
	if reload {
		if err := p.program.Reload(b.ctx); err != nil {
			return err
		}
	}
	p.retried = true
	if call := p.req.GetCall(); call != nil {
		call.Target = &jscorev1.CallRequest_Program{Program: p.program.ID()}
	}
	b.mu.Lock()
	if b.broken != nil {
		err := b.broken
		b.mu.Unlock()
		return err
	}
	b.track(p)
	b.mu.Unlock()
	b.sendRequest(p.req)
	return nil
}

func batchResult(p *pendingItem, resp *jscorev1.BatchResponse) BatchResult {
	r := BatchResult{ID: p.id, Index: p.index}
	if code := codes.Code(resp.GetCode()); code != codes.OK {
		r.Err = &StatusError{Op: "Batch", status: status.New(code, resp.GetMessage())}
		return r
	}
	result, err := resultOf(resp.GetResult())
	if err != nil {
		r.Err = err
		return r
	}
	r.Result, r.Value = result, result.Value()
	return r
}

// request builds the wire request of an item (its id is set when it is sent).
func (b *batchRun) request(item BatchItem) (*jscorev1.BatchRequest, error) {
	cfg := evalConfig{
		timeout: b.c.timeout, filename: item.Filename, fresh: item.Fresh,
		sourceType: item.Type, modules: item.Modules,
	}
	Globals(item.Globals).applyEval(&cfg)
	OrderedGlobals(item.OrderedGlobals).applyEval(&cfg)
	if item.Timeout != 0 {
		cfg.timeout = item.Timeout
	}
	if item.Function == "" {
		if item.Program != nil {
			return nil, fmt.Errorf("jscore: batch item with a Program needs a Function")
		}
		session := ""
		if item.Session != nil {
			session = item.Session.ID()
		}
		req, err := evaluateRequest(item.Source, session, &cfg)
		if err != nil {
			return nil, err
		}
		return &jscorev1.BatchRequest{Item: &jscorev1.BatchRequest_Evaluate{Evaluate: req}}, nil
	}
	req, err := callRequest(item.Function, item.Args, &cfg)
	if err != nil {
		return nil, err
	}
	switch {
	case item.Program != nil && item.Session == nil:
		req.Target = &jscorev1.CallRequest_Program{Program: item.Program.ID()}
	case item.Session != nil && item.Program == nil:
		req.Target = &jscorev1.CallRequest_Session{Session: item.Session.ID()}
	default:
		return nil, fmt.Errorf("jscore: batch call item %q needs exactly one of Program or Session", item.Function)
	}
	return &jscorev1.BatchRequest{Item: &jscorev1.BatchRequest_Call{Call: req}}, nil
}
