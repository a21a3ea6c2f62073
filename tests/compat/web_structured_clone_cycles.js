const a = { n: 1 }; a.self = a; const b = structuredClone(a); [b.self === b, b !== a, b.n]
