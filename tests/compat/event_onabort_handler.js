const c = new AbortController(); let fired = 0; c.signal.onabort = () => fired++; c.abort(); c.abort(); [fired, typeof c.signal.onabort]
