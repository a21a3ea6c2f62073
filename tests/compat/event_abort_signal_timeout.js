(async () => {
  const signal = AbortSignal.timeout(20);
  const before = signal.aborted;
  await new Promise(resolve => signal.addEventListener('abort', resolve));
  return [before, signal.aborted, signal.reason.name];
})()
