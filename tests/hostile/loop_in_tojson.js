// expect: DEADLINE_EXCEEDED
({ toJSON() { for (;;) {} } })
