const t = new EventTarget(); let n = 0;
const inc = () => n++;
t.addEventListener('x', () => n += 10, { once: true });
t.addEventListener('x', inc);
t.dispatchEvent(new Event('x'));
t.removeEventListener('x', inc);
t.dispatchEvent(new Event('x'));
n
