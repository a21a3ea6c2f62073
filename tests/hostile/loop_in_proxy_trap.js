// expect: DEADLINE_EXCEEDED
new Proxy({}, { ownKeys() { for (;;) {} } })
