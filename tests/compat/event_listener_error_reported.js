const t = new EventTarget();
t.addEventListener('x', () => { throw new Error('listener broke'); });
t.addEventListener('x', () => console.log('second listener still ran'));
t.dispatchEvent(new Event('x'));
'dispatched'
