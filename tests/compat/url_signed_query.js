// a typical signature step: sorted parameters, encoded, appended to the endpoint
const params = { ts: '1700000000', nonce: 'abc', q: 'hello world' };
const query = new URLSearchParams(Object.keys(params).sort().map(k => [k, params[k]]));
const url = new URL('/api/v2/search', 'https://api.example.com');
url.search = query;
url.toString()
