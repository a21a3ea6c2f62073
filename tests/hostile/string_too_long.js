// expect: js_error RangeError
"x".repeat(2 ** 30)
