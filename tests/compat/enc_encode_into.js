const dest = new Uint8Array(5);
const r = new TextEncoder().encodeInto('a€€', dest);
[r.read, r.written, Array.from(dest)]
