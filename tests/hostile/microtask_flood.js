// expect: DEADLINE_EXCEEDED
function f() { Promise.resolve().then(f) } f()
