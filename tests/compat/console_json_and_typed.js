console.log('%j', { a: [1] }); console.log(new Uint8Array([1, 2, 3]), new Date(0)); 0
