const c = new AbortController(); c.abort(); [c.signal.reason.name, c.signal.reason.message, c.signal.reason instanceof DOMException]
