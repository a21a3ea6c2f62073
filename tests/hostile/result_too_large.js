// expect: js_error RangeError
"x".repeat(5 * 1024 * 1024)
