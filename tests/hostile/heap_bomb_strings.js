// expect: RESOURCE_EXHAUSTED
// timeout_ms: 10000
const a = []; const s = "x".repeat(1 << 20); while (true) { const t = s + a.length; t.charCodeAt(10); a.push(t) }
