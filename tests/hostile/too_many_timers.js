// expect: js_error RangeError
for (let i = 0; i < 20000; i++) setTimeout(() => {}, 1e6); 1
