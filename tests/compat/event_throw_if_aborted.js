const c = new AbortController(); c.abort(); c.signal.throwIfAborted()
