function check(v) { if (typeof v !== 'number') throw new TypeError('expected a number'); }
check('x')
