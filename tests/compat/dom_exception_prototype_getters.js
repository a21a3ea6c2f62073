// name, message and code are brand-checked getters of DOMException.prototype.
const e = new DOMException('m', 'DataCloneError');
const brand = (k) => {
  try { Object.getOwnPropertyDescriptor(DOMException.prototype, k).get.call({}); return 'no error'; }
  catch (x) { return x.constructor.name; }
};
let proto;
try { DOMException.prototype.toString(); proto = 'no error'; } catch (x) { proto = x.constructor.name; }
[Object.keys(e).length, e.hasOwnProperty('name'), e.hasOwnProperty('message'), e.hasOwnProperty('code'),
 brand('name'), brand('message'), brand('code'), proto, e.code]
