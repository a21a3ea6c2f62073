// expect: js_error TypeError
const o = {}; o.self = o; o
