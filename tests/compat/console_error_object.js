console.log(new TypeError('bad input')); 0
