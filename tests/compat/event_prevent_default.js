const t = new EventTarget();
t.addEventListener('submit', e => e.preventDefault());
[t.dispatchEvent(new Event('submit', { cancelable: true })), t.dispatchEvent(new Event('submit'))]
