// A typical signature: nonce from Math.random, timestamp from Date.now, hashed.
// With random_seed and frozen_time_ms it is the same on every run.
const nonce = Math.random().toString(36).slice(2, 10);
const ts = Date.now();
[nonce, ts, md5(nonce + ts)]
