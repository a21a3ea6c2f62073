// expect: DEADLINE_EXCEEDED
new Promise(() => setTimeout("while (true) {}", 1))
