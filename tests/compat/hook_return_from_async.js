(async () => {
  await new Promise((r) => setTimeout(r, 1));
  $return({ done: true });
  return 'not this';
})()
