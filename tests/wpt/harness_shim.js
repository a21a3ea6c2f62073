// A small stand-in for WPT's testharness.js, enough for the .any.js tests of the
// Web APIs jscore ships. Written for jscore (not copied from WPT): it runs the
// same in jscore and in Node, so that both are counted by the same rules.
// test() runs at once; async_test() waits for done(); promise_test()s run one
// after another, after the file's top level, as testharness.js runs them.
// __wpt_results() returns a promise of {tests: [[name, status, message]], error}.
(function () {
  'use strict';
  const g = globalThis;
  if (typeof g.self === 'undefined') g.self = g;
  g.GLOBAL = { isWindow: () => false, isWorker: () => false, isShadowRealm: () => false };
  g.location = g.location || { href: 'about:blank', search: '' };
  const results = [];
  const promiseTests = [];
  let pending = 0;
  let fileError = null;
  let wake = null;

  class AssertionError extends Error {}
  function fail(message) { throw new AssertionError(message); }

  function formatValue(v) {
    if (typeof v === 'string') return JSON.stringify(v);
    if (Object.is(v, -0)) return '-0';
    try { return String(v); } catch (e) { return Object.prototype.toString.call(v); }
  }
  g.format_value = formatValue;

  function record(name, status, message) {
    results.push([String(name), status, message === undefined ? '' : String(message)]);
  }

  class Test {
    constructor(name) {
      this.name = name;
      this.phase = 'running';
      this.cleanups = [];
      this.timers = [];
    }
    step(fn, self, ...args) {
      if (this.phase !== 'running') return undefined;
      try {
        return fn.apply(self === undefined ? this : self, args);
      } catch (e) {
        this.finish('FAIL', e && e.message !== undefined ? e.message : e);
        return undefined;
      }
    }
    step_func(fn, self) {
      const t = this;
      return function (...args) { return t.step(fn, self === undefined ? this : self, ...args); };
    }
    step_func_done(fn, self) {
      const t = this;
      return function (...args) {
        if (fn) t.step(fn, self === undefined ? this : self, ...args);
        t.done();
      };
    }
    unreached_func(description) {
      return this.step_func(() => fail('unreached: ' + (description || '')));
    }
    step_timeout(fn, ms, ...args) {
      const t = this;  // the callback's `this` is the test, as in testharness.js
      const id = setTimeout(this.step_func(() => fn.apply(t, args)), ms);
      this.timers.push(id);
      return id;
    }
    add_cleanup(fn) { this.cleanups.push(fn); }
    done() { if (this.phase === 'running') this.finish('PASS'); }
    finish(status, message) {
      if (this.phase !== 'running') return;
      this.phase = 'done';
      for (const id of this.timers) clearTimeout(id);
      for (const fn of this.cleanups) { try { fn(); } catch (e) { /* ignored */ } }
      record(this.name, status, message);
      pending--;
      if (wake) wake();
    }
  }

  g.test = function (fn, name) {
    const t = new Test(name);
    pending++;
    t.step(fn, t, t);
    t.done();
  };
  g.async_test = function (fn, name) {
    if (typeof fn !== 'function') { name = fn; fn = null; }
    const t = new Test(name);
    pending++;
    if (fn) t.step(fn, t, t);
    return t;
  };
  g.promise_test = function (fn, name) {
    pending++;
    promiseTests.push([fn, name]);
  };
  // setup({single_test: true}): the file is one test, passed by done(), failed by
  // an assertion at its top level.
  let single = null;
  g.setup = function (fn, options) {
    if (typeof fn === 'function') fn(); else options = fn;
    if (options && options.single_test) single = g.async_test('single test');
  };
  g.done = function () { if (single) single.done(); };
  g.step_timeout = function (fn, ms, ...args) { return setTimeout(() => fn(...args), ms); };
  g.subsetTest = function (testFunc, ...args) { return testFunc(...args); };

  async function runPromiseTests() {
    for (const [fn, name] of promiseTests) {
      const t = new Test(name);
      try {
        const p = t.step(fn, t, t);
        if (t.phase === 'running') {
          if (!p || typeof p.then !== 'function') {
            t.finish('FAIL', 'promise_test: test body must return a promise');
          } else {
            await p;
            t.done();
          }
        }
      } catch (e) {
        t.finish('FAIL', e && e.message !== undefined ? e.message : e);
      }
    }
  }

  // ---- assertions ----
  // testharness.js's same_value: numbers by Object.is (NaN is NaN, -0 is not 0).
  const same = (a, b) => (typeof a === 'number' && typeof b === 'number' ? Object.is(a, b) : a === b);
  const msg = (m) => (m ? m + ': ' : '');
  g.assert_true = (v, m) => { if (v !== true) fail(msg(m) + 'expected true got ' + formatValue(v)); };
  g.assert_false = (v, m) => { if (v !== false) fail(msg(m) + 'expected false got ' + formatValue(v)); };
  g.assert_equals = (a, e, m) => {
    if (!same(a, e)) fail(msg(m) + 'expected ' + formatValue(e) + ' but got ' + formatValue(a));
  };
  g.assert_not_equals = (a, e, m) => { if (same(a, e)) fail(msg(m) + 'got disallowed value ' + formatValue(a)); };
  g.assert_in_array = (a, list, m) => { if (!list.includes(a)) fail(msg(m) + formatValue(a) + ' not in array'); };
  g.assert_array_equals = (a, e, m) => {
    if (typeof a !== 'object' || a === null || !('length' in a)) fail(msg(m) + 'value is not array-like');
    if (a.length !== e.length) fail(msg(m) + 'lengths differ: expected ' + e.length + ' got ' + a.length);
    for (let i = 0; i < e.length; i++) {
      if (!same(a[i], e[i])) fail(msg(m) + 'index ' + i + ': expected ' + formatValue(e[i]) + ' got ' + formatValue(a[i]));
    }
  };
  g.assert_array_approx_equals = (a, e, eps, m) => {
    g.assert_equals(a.length, e.length, m);
    for (let i = 0; i < e.length; i++) g.assert_approx_equals(a[i], e[i], eps, m);
  };
  g.assert_approx_equals = (a, e, eps, m) => {
    if (typeof a !== 'number' || Math.abs(a - e) > eps) fail(msg(m) + 'expected ' + e + ' +/- ' + eps + ' got ' + a);
  };
  g.assert_less_than = (a, e, m) => { if (!(a < e)) fail(msg(m) + a + ' is not < ' + e); };
  g.assert_greater_than = (a, e, m) => { if (!(a > e)) fail(msg(m) + a + ' is not > ' + e); };
  g.assert_less_than_equal = (a, e, m) => { if (!(a <= e)) fail(msg(m) + a + ' is not <= ' + e); };
  g.assert_greater_than_equal = (a, e, m) => { if (!(a >= e)) fail(msg(m) + a + ' is not >= ' + e); };
  g.assert_between_inclusive = (a, lo, hi, m) => { if (!(a >= lo && a <= hi)) fail(msg(m) + a + ' not in range'); };
  g.assert_regexp_match = (a, re, m) => { if (!re.test(a)) fail(msg(m) + formatValue(a) + ' does not match ' + re); };
  g.assert_class_string = (o, name, m) => {
    const s = Object.prototype.toString.call(o);
    if (s !== '[object ' + name + ']') fail(msg(m) + 'class string ' + s);
  };
  g.assert_own_property = (o, p, m) => { if (!Object.prototype.hasOwnProperty.call(o, p)) fail(msg(m) + 'no own property ' + String(p)); };
  g.assert_not_own_property = (o, p, m) => { if (Object.prototype.hasOwnProperty.call(o, p)) fail(msg(m) + 'unexpected own property ' + String(p)); };
  g.assert_inherits = (o, p, m) => {
    if (Object.prototype.hasOwnProperty.call(o, p) || !(p in o)) fail(msg(m) + 'does not inherit ' + String(p));
  };
  g.assert_idl_attribute = g.assert_inherits;
  g.assert_readonly = (o, p, m) => {
    const before = o[p];
    try { o[p] = before + 'a'; } catch (e) { /* strict mode */ }
    if (!same(o[p], before)) fail(msg(m) + String(p) + ' is writable');
  };
  g.assert_object_equals = (a, e, m) => {
    if (JSON.stringify(a) !== JSON.stringify(e)) fail(msg(m) + 'objects differ');
  };
  g.assert_unreached = (m) => fail('unreached: ' + (m || ''));
  g.assert_implements = (c, m) => { if (!c) fail(msg(m) + 'not implemented'); };
  g.assert_implements_optional = g.assert_implements;
  g.assert_precondition = g.assert_implements;
  g.assert_throws_js = (ctor, fn, m) => {
    try { fn(); } catch (e) {
      if (!(e instanceof Object) || e.constructor !== ctor && !(e instanceof ctor && e.name === ctor.name)) {
        fail(msg(m) + 'expected ' + ctor.name + ' got ' + formatValue(e && e.name));
      }
      return;
    }
    fail(msg(m) + 'expected ' + ctor.name + ', nothing thrown');
  };
  // The legacy form assert_throws({name}, fn) of older WPT files.
  g.assert_throws = (expected, fn, m) => {
    try { fn(); } catch (e) {
      if (!(e instanceof Object) || (expected && expected.name && e.name !== expected.name)) {
        fail(msg(m) + 'expected ' + (expected && expected.name) + ' got ' + formatValue(e && e.name));
      }
      return;
    }
    fail(msg(m) + 'nothing thrown');
  };
  g.assert_throws_exactly = (value, fn, m) => {
    try { fn(); } catch (e) { if (!same(e, value)) fail(msg(m) + 'threw another value'); return; }
    fail(msg(m) + 'nothing thrown');
  };
  const codeNames = {
    INDEX_SIZE_ERR: 'IndexSizeError', HIERARCHY_REQUEST_ERR: 'HierarchyRequestError',
    INVALID_CHARACTER_ERR: 'InvalidCharacterError', NOT_FOUND_ERR: 'NotFoundError',
    NOT_SUPPORTED_ERR: 'NotSupportedError', INVALID_STATE_ERR: 'InvalidStateError',
    SYNTAX_ERR: 'SyntaxError', INVALID_ACCESS_ERR: 'InvalidAccessError',
    TYPE_MISMATCH_ERR: 'TypeMismatchError', SECURITY_ERR: 'SecurityError',
    NETWORK_ERR: 'NetworkError', ABORT_ERR: 'AbortError', TIMEOUT_ERR: 'TimeoutError',
    DATA_CLONE_ERR: 'DataCloneError', QUOTA_EXCEEDED_ERR: 'QuotaExceededError',
  };
  function checkDom(type, ctor, e, m) {
    const name = typeof type === 'number'
        ? Object.keys(codeNames).map((k) => codeNames[k]).find((n) => new DOMException('', n).code === type)
        : (codeNames[type] || type);
    if (!(e instanceof Object) || e.name !== name) fail(msg(m) + 'expected DOMException ' + name + ' got ' + formatValue(e && e.name));
    if (ctor && e.constructor !== ctor) fail(msg(m) + 'wrong DOMException constructor');
  }
  g.assert_throws_dom = (type, a, b, c) => {
    const [ctor, fn, m] = typeof b === 'function' ? [a, b, c] : [null, a, b];
    try { fn(); } catch (e) { checkDom(type, ctor, e, m); return; }
    fail(msg(m) + 'expected DOMException ' + type + ', nothing thrown');
  };
  // QuotaExceededError (a DOMException name, or its own class where it is one).
  g.assert_throws_quotaexceedederror = (fn, requested, quota, m) => {
    try { fn(); } catch (e) {
      if (!(e instanceof Object) || e.name !== 'QuotaExceededError') fail(msg(m) + 'expected QuotaExceededError got ' + formatValue(e && e.name));
      return;
    }
    fail(msg(m) + 'expected QuotaExceededError, nothing thrown');
  };
  function rejects(t, p, check, m) {
    return Promise.resolve(p).then(
        () => t.step(() => fail(msg(m) + 'promise fulfilled, expected rejection')),
        (e) => t.step(() => check(e)));
  }
  g.promise_rejects_js = (t, ctor, p, m) => rejects(t, p, (e) => g.assert_throws_js(ctor, () => { throw e; }, m), m);
  g.promise_rejects_dom = (t, type, a, b, c) => {
    const [ctor, p, m] = b && typeof b.then === 'function' ? [a, b, c] : [null, a, b];
    return rejects(t, p, (e) => checkDom(type, ctor, e, m), m);
  };
  g.promise_rejects_exactly = (t, v, p, m) => rejects(t, p, (e) => g.assert_throws_exactly(v, () => { throw e; }, m), m);

  g.__wpt_file_error = function (e) {
    if (single) single.finish('FAIL', e && e.message !== undefined ? e.message : e);
    fileError = String(e && e.stack ? e.stack.split('\n')[0] : e);
  };
  g.__wpt_results = async function (timeout_ms) {
    await runPromiseTests();
    const deadline = Date.now() + timeout_ms;
    while (pending > 0 && Date.now() < deadline) {
      await new Promise((resolve) => { wake = resolve; setTimeout(resolve, 20); });
    }
    return { tests: results, pending, error: fileError };
  };
})();
