// expect: js_error RangeError
new Uint8Array(8 << 20)
