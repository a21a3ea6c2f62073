// The Node 20 `vm` reference of the real-code workload: the program in one vm
// context of this process, loopSign(P, n) called `calls` times with P built per call,
// CPU (process.cpuUsage: user + system, every thread) per signature. One JSON line
// per n, as engine_realcode_bench prints its own.
//
//   node node_vm_loop.js PROGRAM.js [signatures=2000] [n=1,10,100]
'use strict';
const fs = require('fs');
const vm = require('vm');

const [file, total = '2000', ns = '1,10,100'] = process.argv.slice(2);
const context = vm.createContext({});
new vm.Script(fs.readFileSync(file, 'utf8'), { filename: 'program.js' }).runInContext(context);
const loopSign = context.loopSign;
const params = () => ({ uid: '10086', q: 'jscore bench', page: '3', sort: 'desc', v: '2.1' });
for (const n of ns.split(',').map(Number)) {
  for (let i = 0; i < Math.max(1, 200 / n); i++) loopSign(params(), n);  // warm-up
  const calls = Math.max(1, Math.floor(Number(total) / n));
  const start = process.cpuUsage();
  let result;
  for (let i = 0; i < calls; i++) result = loopSign(params(), n);
  const used = process.cpuUsage(start);
  console.log(JSON.stringify({ system: 'node_vm', n, calls,
    cpu_us_per_signature: Math.round(((used.user + used.system) / (calls * n)) * 10) / 10,
    result }));
}
