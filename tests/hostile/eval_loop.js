// expect: DEADLINE_EXCEEDED
eval("while (true) {}")
