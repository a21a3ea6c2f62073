// never_jscore-style: canonical string -> UTF-8 bytes -> checksum -> base64 token
function sign(params, secret) {
  const canonical = Object.keys(params).sort().map(k => `${k}=${encodeURIComponent(params[k])}`).join('&');
  const bytes = new TextEncoder().encode(canonical + secret);
  let h = 0x811c9dc5;
  for (const b of bytes) { h ^= b; h = Math.imul(h, 0x01000193) >>> 0; }
  return btoa(String.fromCharCode(h >>> 24, (h >>> 16) & 255, (h >>> 8) & 255, h & 255));
}
sign({ b: '2', a: 'x y', c: '中' }, 's3cr3t')
