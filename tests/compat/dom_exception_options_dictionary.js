// new DOMException(message, {name, cause}): the dictionary form.
const e = new DOMException('bar', { name: 'NotSupportedError', cause: 'why' });
[e.name, e.message, e.code, e.cause, e instanceof Error, String(e)]
