// expect: value null
Symbol("s")
