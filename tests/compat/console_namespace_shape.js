// console is a WebIDL namespace: an empty [[Prototype]] whose own is Object.prototype.
const proto = Object.getPrototypeOf(console);
const d = Object.getOwnPropertyDescriptor(globalThis, 'console');
[Object.getOwnPropertyNames(proto).length, Object.getPrototypeOf(proto) === Object.prototype,
 String(console), d.writable, d.enumerable, d.configurable, typeof console.log]
