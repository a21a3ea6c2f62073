// expect: DEADLINE_EXCEEDED
new Promise(r => setTimeout(() => { for (;;) {} }, 1))
