(async () => {
  const order = [];
  setTimeout(() => order.push('timeout'), 0);
  queueMicrotask(() => order.push('microtask'));
  await null;
  order.push('after await');
  await new Promise(r => setTimeout(r, 10));
  return order;
})()
