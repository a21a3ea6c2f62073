const e = new DOMException('nothing here', 'NotFoundError'); [e.name, e.message, e.code, e instanceof Error, String(e)]
