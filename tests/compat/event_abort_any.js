const a = new AbortController(), b = new AbortController();
const any = AbortSignal.any([a.signal, b.signal]);
b.abort('b first');
[any.aborted, any.reason, AbortSignal.abort('now').reason]
