// addEventListener(type, null, options) still reads and checks its options.
const read = [];
const options = {
  get capture() { read.push('capture'); return false; },
  get once() { read.push('once'); return false; },
  get passive() { read.push('passive'); return false; },
  get signal() { read.push('signal'); return undefined; },
};
new EventTarget().addEventListener('x', null, options);
let thrown = 'no error';
try { new EventTarget().addEventListener('x', null, { signal: null }); } catch (e) { thrown = e.name; }
[read.sort(), thrown]
