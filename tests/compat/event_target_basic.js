const target = new EventTarget();
const seen = [];
target.addEventListener('ping', e => seen.push([e.type, e.target === target]));
target.dispatchEvent(new Event('ping'));
target.dispatchEvent(new Event('other'));
seen
