// expect: RESOURCE_EXHAUSTED
// timeout_ms: 10000
const m = new Map(); let i = 0; while (true) m.set(i++, { i })
