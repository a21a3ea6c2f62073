// expect: RESOURCE_EXHAUSTED
// timeout_ms: 10000
const a = []; while (true) a.push({ a: 1, b: [1, 2, 3], c: "x" + a.length })
