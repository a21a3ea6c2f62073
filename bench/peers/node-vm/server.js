'use strict';
// node-vm: jscore.v1.JsCore served by Node.js the way a team would write it with
// @grpc/grpc-js, @grpc/proto-loader and the `vm` module. A bench peer: bench/run
// measures it beside jscored with the same loadgen and the same JavaScript.
//
//   node server.js [--listen=127.0.0.1:0] [--processes=1] [--call_timeout=vm]
//     prints "node-vm listening on HOST:PORT" once every process serves
//
//   Evaluate     a fresh vm.createContext per request; the script runs with vm's
//                `timeout` option; a returned promise is awaited (bounded by the
//                same timeout)
//   LoadProgram  compiles once (new vm.Script), runs it in one context of this
//                process; the id is the SHA-256 of the source, as jscored's
//   Call         the function (dotted path) of that context, called through a small
//                pre-compiled script run with vm's `timeout` option (the only way
//                vm bounds synchronous code), a returned promise awaited
//                (--call_timeout=none: the function is called directly, unbounded,
//                which saves vm's per-run watchdog thread; measured for reference)
//   Batch        items answered as they finish
//
// --processes=N > 1: Node's cluster module, N worker processes sharing one listening
// socket (the primary accepts and hands connections round-robin; a gRPC connection
// then stays with its process). Programs live per process: a client loads its
// program through every connection (jscore_loadgen does).
//
// Contexts get setTimeout/clearTimeout (W4 awaits a timer) and a console that
// discards output. Results become google.protobuf.Value as JSON would have them.

const cluster = require('node:cluster');
const crypto = require('node:crypto');
const path = require('node:path');
const vm = require('node:vm');

const kDefaultTimeoutMs = 5000;

function parseArgs(argv) {
  const options = { listen: '127.0.0.1:0', processes: 1, call_timeout: 'vm' };
  for (const arg of argv) {
    const m = /^--([a-z_]+)=(.*)$/.exec(arg);
    if (!m || !(m[1] in options)) {
      console.error(`node-vm: unknown argument ${arg}`);
      process.exit(2);
    }
    options[m[1]] = m[1] === 'processes' ? Number(m[2]) : m[2];
  }
  if (options.call_timeout !== 'vm' && options.call_timeout !== 'none') {
    console.error('node-vm: --call_timeout must be vm or none');
    process.exit(2);
  }
  if (!Number.isInteger(options.processes) || options.processes < 1) {
    console.error('node-vm: --processes must be a positive integer');
    process.exit(2);
  }
  return options;
}

// ---- values ---------------------------------------------------------------

function fromValue(v) {
  switch (v && v.kind) {
    case 'numberValue': return v.numberValue;
    case 'stringValue': return v.stringValue;
    case 'boolValue': return v.boolValue;
    case 'structValue': {
      const out = {};
      for (const [k, x] of Object.entries(v.structValue.fields || {})) out[k] = fromValue(x);
      return out;
    }
    case 'listValue': return (v.listValue.values || []).map(fromValue);
    default: return null;
  }
}

function toValue(x) {
  switch (typeof x) {
    case 'number': return { numberValue: x };
    case 'string': return { stringValue: x };
    case 'boolean': return { boolValue: x };
    case 'bigint': return { stringValue: x.toString() };
    case 'object': {
      if (x === null) break;
      if (Array.isArray(x)) return { listValue: { values: x.map(toValue) } };
      if (typeof x.toJSON === 'function') return toValue(x.toJSON());
      const fields = {};
      for (const k of Object.keys(x)) {
        const f = x[k];
        if (f !== undefined && typeof f !== 'function' && typeof f !== 'symbol') fields[k] = toValue(f);
      }
      return { structValue: { fields } };
    }
    default: break;
  }
  return { nullValue: 'NULL_VALUE' };
}

function durationMs(d) {
  if (!d) return 0;
  return Number(d.seconds || 0) * 1000 + Number(d.nanos || 0) / 1e6;
}

// ---- running JavaScript ---------------------------------------------------

class Timeout extends Error {}

const quietConsole = { log() {}, info() {}, warn() {}, error() {}, debug() {}, trace() {} };

function newContext(globals) {
  const sandbox = { console: quietConsole, setTimeout, clearTimeout, setInterval, clearInterval };
  for (const [k, v] of Object.entries(globals || {})) sandbox[k] = fromValue(v);
  return vm.createContext(sandbox);
}

// Runs `start(timeoutMs)` (synchronous, bounded by vm's timeout) and awaits the
// promise it may return for what is left of the timeout.
async function settle(start, timeoutMs) {
  const begin = Date.now();
  const result = start(timeoutMs);
  if (result === null || (typeof result !== 'object' && typeof result !== 'function') ||
      typeof result.then !== 'function') {
    return result;
  }
  let timer;
  const expired = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Timeout('timeout')),
                       Math.max(1, timeoutMs - (Date.now() - begin)));
  });
  try {
    return await Promise.race([result, expired]);
  } finally {
    clearTimeout(timer);
  }
}

function jsError(e) {
  if (e !== null && typeof e === 'object') {
    return { name: String(e.name || 'Error'), message: String(e.message || ''),
             stack: String(e.stack || '') };
  }
  return { name: 'Error', message: String(e), stack: '' };
}

// An outcome: [grpc error or null, EvaluateResponse].
function outcome(promise) {
  return promise.then(
    (result) => [null, { value: toValue(result), undefined: result === undefined }],
    (e) => {
      if (e instanceof Timeout || (e && e.code === 'ERR_SCRIPT_EXECUTION_TIMEOUT')) {
        return [{ code: grpcStatus.DEADLINE_EXCEEDED, details: 'the script timed out' }, null];
      }
      if (e && e.grpcCode !== undefined) return [{ code: e.grpcCode, details: e.message }, null];
      return [null, { error: jsError(e) }];
    });
}

function timeoutOf(request) {
  return durationMs(request.timeout) || kDefaultTimeoutMs;
}

function evaluate(request) {
  return outcome(settle((timeout) => {
    const context = newContext(request.globals);
    return vm.runInContext(request.source, context,
                           { filename: request.filename || '<eval>', timeout });
  }, timeoutOf(request)));
}

const programs = new Map();  // id -> { context }
let boundedCalls = true;     // --call_timeout=vm
const callScript = new vm.Script('__benchCall.fn.apply(globalThis, __benchCall.args)',
                                 { filename: '<call>' });

function loadProgram(request) {
  const id = crypto.createHash('sha256').update(request.source).digest('hex');
  if (programs.has(id)) return { program: id };
  let script;
  try {
    script = new vm.Script(request.source, { filename: request.filename || '<program>' });
  } catch (e) {
    return { error: jsError(e) };
  }
  const context = newContext();
  try {
    script.runInContext(context, { timeout: kDefaultTimeoutMs });
  } catch (e) {
    return { error: jsError(e) };
  }
  programs.set(id, { context });
  return { program: id };
}

function failure(grpcCode, message) {
  const e = new Error(message);
  e.grpcCode = grpcCode;
  return e;
}

function callFunction(request) {
  return outcome(settle((timeout) => {
    const program = programs.get(request.program);
    if (!program) throw failure(grpcStatus.FAILED_PRECONDITION, 'program not loaded');
    let fn = program.context;
    for (const part of request.function.split('.')) fn = fn == null ? undefined : fn[part];
    if (typeof fn !== 'function') throw new TypeError(`${request.function} is not a function`);
    const args = (request.args || []).map(fromValue);
    if (!boundedCalls) return fn.apply(program.context, args);
    program.context.__benchCall = { fn, args };
    try {
      return callScript.runInContext(program.context, { timeout });
    } finally {
      program.context.__benchCall = undefined;
    }
  }, timeoutOf(request)));
}

// ---- gRPC -----------------------------------------------------------------

let grpcStatus;

function unary(run) {
  return (call, callback) => {
    run(call.request).then(([err, response]) => callback(err, response));
  };
}

function batch(call) {
  let pending = 0;
  let ended = false;
  const finishIfDone = () => { if (ended && pending === 0) call.end(); };
  call.on('data', (item) => {
    pending++;
    const run = item.item === 'call' ? callFunction(item.call) : evaluate(item.evaluate || {});
    run.then(([err, response]) => {
      pending--;
      if (err) call.write({ id: item.id, code: err.code, message: err.details });
      else call.write({ id: item.id, code: 0, result: response });
      finishIfDone();
    });
  });
  call.on('end', () => { ended = true; finishIfDone(); });
  call.on('error', () => {});
}

function serve(listen, onReady) {
  const grpc = require('@grpc/grpc-js');
  const protoLoader = require('@grpc/proto-loader');
  grpcStatus = grpc.status;
  const protoDir = path.resolve(__dirname, '../../../proto');
  const definition = protoLoader.loadSync('jscore/v1/jscore.proto', {
    includeDirs: [protoDir], longs: String, enums: String, defaults: false, oneofs: true,
  });
  const { JsCore } = grpc.loadPackageDefinition(definition).jscore.v1;
  const server = new grpc.Server({
    'grpc.max_receive_message_length': 64 << 20,
    'grpc.max_send_message_length': 64 << 20,
  });
  server.addService(JsCore.service, {
    Evaluate: unary(evaluate),
    LoadProgram: (call, callback) => callback(null, loadProgram(call.request)),
    Call: unary(callFunction),
    Batch: batch,
  });
  server.bindAsync(listen, grpc.ServerCredentials.createInsecure(), (err, port) => {
    if (err) {
      console.error(`node-vm: cannot listen on ${listen}: ${err.message}`);
      process.exit(1);
    }
    onReady(port);
  });
  return server;
}

function hostOf(listen) {
  return listen.slice(0, listen.lastIndexOf(':'));
}

function main() {
  const options = parseArgs(process.argv.slice(2));
  boundedCalls = options.call_timeout === 'vm';
  if (options.processes === 1) {
    const server = serve(options.listen, (port) => {
      console.log(`node-vm listening on ${hostOf(options.listen)}:${port}`);
    });
    const stop = () => server.tryShutdown(() => process.exit(0));
    process.on('SIGTERM', stop);
    process.on('SIGINT', stop);
    return;
  }
  if (cluster.isPrimary) {
    // Workers that listen on port 0 in a cluster all get the same port.
    const ports = new Set();
    let ready = 0;
    for (let i = 0; i < options.processes; i++) {
      const worker = cluster.fork();
      worker.on('message', (m) => {
        if (m && m.port) {
          ports.add(m.port);
          if (++ready === options.processes) {
            if (ports.size !== 1) {
              console.error(`node-vm: workers listen on different ports: ${[...ports]}`);
              process.exit(1);
            }
            console.log(`node-vm listening on ${hostOf(options.listen)}:${[...ports][0]}`);
          }
        }
      });
    }
    let stopping = false;
    cluster.on('exit', () => {
      if (!stopping) {
        console.error('node-vm: a worker died');
        process.exit(1);
      }
      if (Object.keys(cluster.workers).length === 0) process.exit(0);
    });
    const stop = () => {
      stopping = true;
      for (const worker of Object.values(cluster.workers)) worker.kill('SIGTERM');
    };
    process.on('SIGTERM', stop);
    process.on('SIGINT', stop);
    return;
  }
  const server = serve(options.listen, (port) => process.send({ port }));
  const stop = () => server.tryShutdown(() => process.exit(0));
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main();
