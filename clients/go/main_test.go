// The tests run against a real jscored: TestMain starts one (path from $JSCORED) on a
// free loopback port, waits until its health service says SERVING, and stops it at
// the end.

package jscore_test

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"jscore.dev/jscore"

	"google.golang.org/grpc"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
)

var (
	daemon *daemonProcess // the shared daemon
	client *jscore.Client // a client of it, shared by the tests (it is safe for concurrent use)
)

func TestMain(m *testing.M) {
	os.Exit(run(m))
}

func run(m *testing.M) int {
	var err error
	daemon, err = startDaemon("--workers=4")
	if err != nil {
		fmt.Fprintln(os.Stderr, "jscore tests:", err)
		return 1
	}
	defer daemon.stop()
	client, err = jscore.Dial(daemon.addr)
	if err != nil {
		fmt.Fprintln(os.Stderr, "jscore tests:", err)
		return 1
	}
	defer client.Close()
	code := m.Run()
	if code != 0 {
		fmt.Fprintf(os.Stderr, "--- jscored stderr (last lines) ---\n%s\n", daemon.stderrTail())
	}
	return code
}

// jscoredPath is $JSCORED, or the binary of a default CMake build.
func jscoredPath() (string, error) {
	if p := os.Getenv("JSCORED"); p != "" {
		return p, nil
	}
	for _, p := range []string{"../../build/daemon/jscored"} {
		if abs, err := filepath.Abs(p); err == nil {
			if _, err := os.Stat(abs); err == nil {
				return abs, nil
			}
		}
	}
	return "", fmt.Errorf("set JSCORED to the jscored binary (none found at ../../build/daemon/jscored)")
}

type daemonProcess struct {
	cmd    *exec.Cmd
	addr   string
	mu     sync.Mutex
	stderr bytes.Buffer
	done   chan struct{}
}

func (d *daemonProcess) Write(p []byte) (int, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.stderr.Len() > 1<<20 { // keep the tail only
		tail := append([]byte(nil), d.stderr.Bytes()[d.stderr.Len()-(256<<10):]...)
		d.stderr.Reset()
		d.stderr.Write(tail)
	}
	return d.stderr.Write(p)
}

func (d *daemonProcess) stderrTail() string {
	d.mu.Lock()
	defer d.mu.Unlock()
	s := d.stderr.String()
	if len(s) > 4000 {
		s = s[len(s)-4000:]
	}
	return s
}

// startDaemon starts jscored on 127.0.0.1:0 with extra flags, reads the address from
// its first stdout line ("jscored listening on HOST:PORT") and waits (bounded) for
// grpc.health.v1 to answer SERVING.
func startDaemon(flags ...string) (*daemonProcess, error) {
	return startDaemonWith(nil, flags...)
}

// startDaemonWith is startDaemon with another readiness probe (nil: plaintext health).
func startDaemonWith(ready func(addr string) error, flags ...string) (*daemonProcess, error) {
	path, err := jscoredPath()
	if err != nil {
		return nil, err
	}
	args := append([]string{"--listen=127.0.0.1:0", "--shutdown_grace=2s"}, flags...)
	d := &daemonProcess{cmd: exec.Command(path, args...), done: make(chan struct{})}
	d.cmd.Stderr = d
	// If the test binary dies (a panic skips TestMain's cleanup), the daemon gets
	// SIGTERM instead of living on.
	d.cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGTERM}
	stdout, err := d.cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := d.cmd.Start(); err != nil {
		return nil, fmt.Errorf("start %s: %w", path, err)
	}
	go func() { _ = d.cmd.Wait(); close(d.done) }()

	lines := make(chan string, 1)
	go func() {
		scanner := bufio.NewScanner(stdout)
		if scanner.Scan() {
			lines <- scanner.Text()
		}
		close(lines)
		for scanner.Scan() { // keep draining so the daemon never blocks on stdout
		}
	}()
	select {
	case line, ok := <-lines:
		const prefix = "jscored listening on "
		if !ok || !strings.HasPrefix(line, prefix) {
			d.stop()
			return nil, fmt.Errorf("jscored did not say where it listens (first line %q); stderr:\n%s", line, d.stderrTail())
		}
		d.addr = strings.TrimSpace(strings.TrimPrefix(line, prefix))
	case <-time.After(30 * time.Second):
		d.stop()
		return nil, fmt.Errorf("jscored printed no address within 30s; stderr:\n%s", d.stderrTail())
	}
	if ready == nil {
		ready = func(string) error { return d.waitServing(30 * time.Second) }
	}
	if err := ready(d.addr); err != nil {
		d.stop()
		return nil, err
	}
	return d, nil
}

func (d *daemonProcess) waitServing(bound time.Duration) error {
	ctx, cancel := context.WithTimeout(context.Background(), bound)
	defer cancel()
	conn, err := grpc.DialContext(ctx, d.addr, grpc.WithInsecure())
	if err != nil {
		return err
	}
	defer conn.Close()
	health := healthpb.NewHealthClient(conn)
	for {
		callCtx, callCancel := context.WithTimeout(ctx, time.Second)
		resp, err := health.Check(callCtx, &healthpb.HealthCheckRequest{}, grpc.WaitForReady(true))
		callCancel()
		if err == nil && resp.GetStatus() == healthpb.HealthCheckResponse_SERVING {
			return nil
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("jscored at %s not SERVING within %v (last: %v %v)", d.addr, bound, resp.GetStatus(), err)
		case <-d.done:
			return fmt.Errorf("jscored exited while starting; stderr:\n%s", d.stderrTail())
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// stop sends SIGTERM and waits for a graceful exit, then kills.
func (d *daemonProcess) stop() {
	if d.cmd.Process == nil {
		return
	}
	_ = d.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-d.done:
	case <-time.After(10 * time.Second):
		_ = d.cmd.Process.Kill()
		<-d.done
	}
}

// ctxT is a context bounded for one test step.
func ctxT(t *testing.T) context.Context {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	t.Cleanup(cancel)
	return ctx
}

func ctxBackground() context.Context { return context.Background() }
