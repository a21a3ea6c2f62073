// expect: DEADLINE_EXCEEDED
Promise.resolve(1).then(() => { for (;;) {} })
