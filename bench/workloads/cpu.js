// W3: a CPU-bound call, about 5 ms of JavaScript on this class of machine with the
// argument bench/run passes (the round count is fixed, so every system does the same
// work). A xorshift generator feeding an integer mix: no allocation, no GC, so two
// workers should do twice the work of one.
//
//   burn(rounds)  ->  an integer checksum
function burn(rounds) {
  var x = 2463534242, acc = 0;
  for (var i = 0; i < rounds; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    acc = (acc + (x & 1023) * (i & 7)) | 0;
  }
  return acc;
}
