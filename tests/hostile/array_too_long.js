// expect: js_error RangeError
new Array(2 ** 32)
