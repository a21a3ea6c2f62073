// expect: DEADLINE_EXCEEDED
[3, 2, 1].sort(() => { for (;;) {} })
