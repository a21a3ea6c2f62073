// The request handler of bench/run's workerd peer. serve.py builds worker.mjs at bench
// time: each workload file of bench/workloads/ (and W7's program when given) wrapped in
// a function run with `this` = globalThis (a module has no script scope, and crypto-js's
// UMD wrapper needs a `this`), whose results fill FUNCTIONS, then this file.
//
//   POST /<function>   body: the JSON array of arguments
//                      200: JSON.stringify of the result, as jscored's Call returns it
//                      400: the body is not a JSON array; 404: no such function;
//                      500: the function threw (the message)
//   GET /health        200 "ok" (readiness)

export default {
  async fetch(request) {
    const name = new URL(request.url).pathname.slice(1);
    if (name === 'health') return new Response('ok');
    const fn = Object.hasOwn(FUNCTIONS, name) ? FUNCTIONS[name] : undefined;
    if (typeof fn !== 'function' || request.method !== 'POST') {
      return new Response(`no function ${name} (POST /sign, /burn, /loopSign)\n`, {status: 404});
    }
    let args;
    try {
      args = await request.json();
    } catch (e) {
      return new Response(`the body is not JSON: ${e.message}\n`, {status: 400});
    }
    if (!Array.isArray(args)) return new Response('the body must be a JSON array\n', {status: 400});
    try {
      return new Response(JSON.stringify(fn(...args)),
                          {headers: {'content-type': 'application/json'}});
    } catch (e) {
      return new Response(`${e && e.stack || e}\n`, {status: 500});
    }
  },
};
