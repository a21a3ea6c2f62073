new URLSearchParams({ q: 'a b', x: '1&2', y: '中' }).toString()
