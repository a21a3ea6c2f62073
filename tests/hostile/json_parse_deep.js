// expect: js_error RangeError
JSON.parse("[".repeat(100000) + "]".repeat(100000))
