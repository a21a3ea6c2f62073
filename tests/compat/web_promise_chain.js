Promise.resolve(1).then(x => x + 1).then(x => new Promise(r => setTimeout(() => r(x * 10), 5))).then(x => ({ x }))
