// expect: js_error Error
new Promise(() => {})
