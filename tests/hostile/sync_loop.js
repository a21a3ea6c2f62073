// expect: DEADLINE_EXCEEDED
while (true) {}
