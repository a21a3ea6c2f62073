console.log(new Map([['a', 1], ['b', { c: 2 }]]), new Set(['x', 1])); 0
