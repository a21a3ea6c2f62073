// expect: DEADLINE_EXCEEDED
try { throw 1 } finally { for (;;) {} }
