JSON.parse(JSON.stringify({ a: [1, { b: null }], c: 'é' }))
