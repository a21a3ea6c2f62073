const t = new EventTarget(), log = [];
t.addEventListener('e', e => { log.push(1); e.stopImmediatePropagation(); });
t.addEventListener('e', () => log.push(2));
t.dispatchEvent(new Event('e'));
log
