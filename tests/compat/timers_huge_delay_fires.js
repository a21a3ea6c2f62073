// A delay beyond 2^31-1 ms does not fit a 32-bit int: it is clamped and the timer fires.
new Promise((resolve) => {
  const fired = [];
  for (const delay of [2 ** 31 + 5, 2 ** 32, Infinity]) {
    setTimeout(() => { fired.push(String(delay)); if (fired.length === 3) resolve(fired.sort()); }, delay);
  }
})
