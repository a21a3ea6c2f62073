// crypto.subtle settles in a later task: microtasks queued after the call run first.
(async () => {
  const log = [];
  const done = crypto.subtle.digest('SHA-256', new Uint8Array(3)).then(() => log.push('digest'));
  Promise.resolve().then(() => log.push('micro 1')).then(() => log.push('micro 2'))
      .then(() => log.push('micro 3'));
  log.push('sync');
  await done;
  return log;
})()
