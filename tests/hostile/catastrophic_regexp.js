// expect: DEADLINE_EXCEEDED
/^(a+)+$/.test("a".repeat(40) + "b")
