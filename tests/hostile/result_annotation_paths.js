// expect: js_error RangeError
// timeout_ms: 1000
// A 200 000-byte key over 2000 undefined elements: each annotation's path repeats the key (issue 13: a 400 MB response); paths count toward --max_result_bytes.
const o = {}; o['k'.repeat(200000)] = Array(2000).fill(undefined); o
