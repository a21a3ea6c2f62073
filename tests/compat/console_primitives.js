console.log('text', 42, -0, 1n, true, null, undefined, Symbol('s'), NaN); 0
