const controller = new AbortController();
const { signal } = controller;
const log = [];
signal.addEventListener('abort', () => log.push('aborted: ' + signal.reason));
controller.abort('user left');
[signal.aborted, signal.reason, log]
