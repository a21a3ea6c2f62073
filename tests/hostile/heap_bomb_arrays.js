// expect: RESOURCE_EXHAUSTED
// timeout_ms: 10000
const a = []; while (true) a.push(new Array(1e6).fill(1))
