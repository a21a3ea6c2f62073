// expect: js_error Error
({ get bad() { throw new Error("no") } })
