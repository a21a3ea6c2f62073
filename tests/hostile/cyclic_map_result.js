// expect: js_error TypeError
const m = new Map(); m.set("m", m); m
