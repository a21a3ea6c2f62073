// expect: js_error RangeError
const m = new WebAssembly.Memory({ initial: 1, maximum: 65536 }); while (true) m.grow(4096)
