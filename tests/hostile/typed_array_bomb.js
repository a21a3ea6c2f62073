// expect: js_error RangeError
const a = []; while (true) a.push(new Uint8Array(16 << 20))
