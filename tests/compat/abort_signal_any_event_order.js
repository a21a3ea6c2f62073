// AbortSignal.any: dependents are flattened to the source and fire after it, in order.
const log = [];
const c = new AbortController();
const signals = [c.signal];
signals.push(AbortSignal.any([c.signal]));
signals.push(AbortSignal.any([c.signal]));
signals.push(AbortSignal.any([signals[0]]));
signals.push(AbortSignal.any([signals[1]]));
signals.forEach((s, i) => s.addEventListener('abort', () => log.push(i)));
c.abort('why');
[log.join(''), signals.map((s) => s.reason)]
