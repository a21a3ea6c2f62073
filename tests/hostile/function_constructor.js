// expect: value "object"
typeof Function("return this")()
