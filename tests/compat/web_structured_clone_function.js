structuredClone({ f() {} })
