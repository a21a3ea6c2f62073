const t = new EventTarget(), order = [];
t.addEventListener('e', () => order.push('bubble'));
t.addEventListener('e', () => order.push('capture'), true);
t.addEventListener('e', { handleEvent() { order.push('object'); } });
t.dispatchEvent(new Event('e'));
order
