console.log({ a: 1, b: [1, 2], s: 'str' }); 0
