// expect: DEADLINE_EXCEEDED
for (let i = 0; i < 2000; i++) setInterval(() => {}, 0); new Promise(() => {})
