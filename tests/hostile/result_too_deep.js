// expect: js_error RangeError
let v = 0; for (let i = 0; i < 1000; i++) v = [v]; v
