// Builds the real-code program (README.md here): crypto-js's browser build, then
// signer.js obfuscated with javascript-obfuscator (fixed options and seed, so the
// same versions give the same program), then loopSign. Node 20 is the oracle: the
// expected results of loopSign(P, n) are computed here in a `vm` context.
//
//   node make_program.js --modules=DIR/node_modules --out=DIR
//
// Writes DIR/program.js and DIR/expect.json ({"<n>": result of loopSign(P, n)}).
'use strict';
const fs = require('fs');
const path = require('path');
const vm = require('vm');

const args = Object.fromEntries(process.argv.slice(2).map((a) => a.replace(/^--/, '').split('=')));
if (!args.modules || !args.out) {
  console.error('usage: node make_program.js --modules=DIR/node_modules --out=DIR');
  process.exit(2);
}
const obfuscator = require(path.join(args.modules, 'javascript-obfuscator'));
const cryptoJs = fs.readFileSync(path.join(args.modules, 'crypto-js', 'crypto-js.js'), 'utf8');
const signer = fs.readFileSync(path.join(__dirname, 'signer.js'), 'utf8');

// What sites' signers are shipped with: flattened control flow, dead code, an
// encoded string array, split strings, hexadecimal names.
const obfuscated = obfuscator.obfuscate(signer, {
  seed: 18,
  compact: true,
  controlFlowFlattening: true,
  controlFlowFlatteningThreshold: 0.75,
  deadCodeInjection: true,
  deadCodeInjectionThreshold: 0.4,
  stringArray: true,
  stringArrayEncoding: ['rc4'],
  stringArrayThreshold: 0.75,
  splitStrings: true,
  splitStringsChunkLength: 6,
  transformObjectKeys: true,
  identifierNamesGenerator: 'hexadecimal',
  renameGlobals: false,
  selfDefending: false,
}).getObfuscatedCode();

const program = [
  cryptoJs,
  obfuscated,
  '// n signatures in one call (bench/realcode/README.md)',
  'function loopSign(P, n) { var r; for (var i = 0; i < n; i++) r = sign(P, 1700000000000 + i); return r; }',
  '// the same Call doing nothing: what a call costs the daemon without the signature',
  'function noop(P, n) { return n; }',
  '',
].join('\n');
fs.mkdirSync(args.out, { recursive: true });
fs.writeFileSync(path.join(args.out, 'program.js'), program);

const context = vm.createContext({});
new vm.Script(program, { filename: 'program.js' }).runInContext(context);
const P = { uid: '10086', q: 'jscore bench', page: '3', sort: 'desc', v: '2.1' };
const expect = {};
for (const n of [1, 10, 100]) {
  context.P = JSON.parse(JSON.stringify(P));
  expect[n] = JSON.parse(JSON.stringify(vm.runInContext(`loopSign(P, ${n})`, context)));
}
fs.writeFileSync(path.join(args.out, 'expect.json'), JSON.stringify(expect) + '\n');
console.error(`make_program: ${program.length} bytes (obfuscated signer ${obfuscated.length})`);
