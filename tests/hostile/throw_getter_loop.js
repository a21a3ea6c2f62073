// expect: DEADLINE_EXCEEDED
throw { get message() { for (;;) {} } }
