console.log({ a: { b: { c: { d: 1 } } }, list: [[[[1]]]] }); 0
