// expect: js_error SyntaxError
new RegExp("(".repeat(100000))
