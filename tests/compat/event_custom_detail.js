const target = new EventTarget();
let got;
target.addEventListener('data', e => { got = e.detail; });
target.dispatchEvent(new CustomEvent('data', { detail: { id: 7, tags: ['a'] } }));
got
