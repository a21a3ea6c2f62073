(async () => { await null; throw new RangeError('out of range'); })()
