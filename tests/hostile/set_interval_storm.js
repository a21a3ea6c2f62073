// expect: DEADLINE_EXCEEDED
// slack_ms: 1000
// A parked job's deadline is handled by its worker's loop: when the worker is busy with
// another job's synchronous part (here: other hostile loops, each up to 500 ms), the
// answer waits for that part to end. The storm itself is checked at every timer.
for (let i = 0; i < 2000; i++) setInterval(() => {}, 0); new Promise(() => {})
