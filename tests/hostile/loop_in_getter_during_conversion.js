// expect: DEADLINE_EXCEEDED
({ get x() { for (;;) {} } })
