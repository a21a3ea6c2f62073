// expect: DEADLINE_EXCEEDED
(async () => { for await (const x of (async function* () { while (true) yield 1 })()); })()
