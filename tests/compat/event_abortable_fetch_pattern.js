// the usual pattern: a cancellable async task racing an AbortSignal
function delay(ms, { signal } = {}) {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const id = setTimeout(() => resolve('done'), ms);
    signal?.addEventListener('abort', () => { clearTimeout(id); reject(signal.reason); }, { once: true });
  });
}
(async () => {
  const c = new AbortController();
  setTimeout(() => c.abort(new Error('too slow')), 10);
  try { await delay(1000, { signal: c.signal }); return 'finished'; }
  catch (e) { return 'cancelled: ' + e.message; }
})()
