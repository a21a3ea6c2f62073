// Command clientbench measures the Go client from one process, as
// bench/python_client.py measures the Python one: Program.Call from -threads
// goroutines (-mode=calls), or one Batch stream (-mode=batch), -count in all, against
// a running jscored. It prints one JSON line: mode, count, ok, seconds, per_second,
// client_cpu_us (the process's CPU per call or item in the measured phase).
//
//	go run ./cmd/clientbench -target=127.0.0.1:50051 -mode=calls -count=10000 \
//	    -program_file=bench/workloads/sign.js -args_json='[{"uid":"1"},1700000000000]'
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"os"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"jscore.dev/jscore"
)

func main() {
	target := flag.String("target", "127.0.0.1:50051", "jscored address")
	mode := flag.String("mode", "calls", "calls (Program.Call from -threads goroutines) or batch (one stream)")
	count := flag.Int("count", 10000, "calls or items in all")
	threads := flag.Int("threads", 8, "calls: goroutines")
	programFile := flag.String("program_file", "", "the program (loaded once)")
	function := flag.String("function", "sign", "the function called")
	argsJSON := flag.String("args_json", "[]", "its arguments, a JSON array")
	expectJSON := flag.String("expect_json", "", "the expected answer as compact JSON (else any)")
	flag.Parse()

	source, err := os.ReadFile(*programFile)
	if err != nil {
		log.Fatal(err)
	}
	var args []any
	if err := json.Unmarshal([]byte(*argsJSON), &args); err != nil {
		log.Fatalf("-args_json: %v", err)
	}
	c, err := jscore.Dial(*target, jscore.WithTimeout(30*time.Second))
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute) // bounded
	defer cancel()
	p, err := c.LoadProgram(ctx, string(source))
	if err != nil {
		log.Fatal(err)
	}
	good := func(v any) bool {
		if *expectJSON == "" {
			return true
		}
		text, err := json.Marshal(v)
		return err == nil && string(text) == *expectJSON
	}
	for i := 0; i < 200; i++ { // warm up the connection and the daemon's contexts
		if _, err := p.Call(ctx, *function, args...); err != nil {
			log.Fatal(err)
		}
	}

	var ok, done int64
	cpuStart := cpuTime()
	start := time.Now()
	if *mode == "calls" {
		per := *count / *threads
		var wg sync.WaitGroup
		for t := 0; t < *threads; t++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := 0; i < per; i++ {
					r, err := p.Call(ctx, *function, args...)
					atomic.AddInt64(&done, 1)
					if err == nil && good(r.Value()) {
						atomic.AddInt64(&ok, 1)
					}
				}
			}()
		}
		wg.Wait()
	} else {
		items := make([]jscore.BatchItem, *count)
		for i := range items {
			items[i] = jscore.BatchItem{Function: *function, Args: args, Program: p}
		}
		for r := range c.Batch(ctx, items) {
			done++
			if r.Err == nil && good(r.Value) {
				ok++
			}
		}
	}
	seconds := time.Since(start).Seconds()
	cpu := cpuTime() - cpuStart
	out, _ := json.Marshal(map[string]any{
		"mode": *mode, "count": done, "ok": ok, "seconds": seconds,
		"per_second": float64(done) / seconds, "client_cpu_us": cpu.Seconds() / float64(done) * 1e6,
	})
	fmt.Println(string(out))
}

// cpuTime is the process's CPU time so far (user and system).
func cpuTime() time.Duration {
	var u syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &u); err != nil {
		return 0
	}
	return time.Duration(u.Utime.Nano() + u.Stime.Nano())
}
