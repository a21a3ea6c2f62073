// expect: value 1
const r = new FinalizationRegistry(() => { for (;;) {} }); for (let i = 0; i < 50000; i++) r.register({ p: [i] }, i); 1
