// expect: js_error RangeError
new ArrayBuffer(2 ** 31)
