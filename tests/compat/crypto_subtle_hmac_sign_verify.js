// The signature recipe of many site scripts: HMAC-SHA256 over a canonical string.
(async () => {
  const enc = new TextEncoder();
  const key = await crypto.subtle.importKey('raw', enc.encode('key'), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign', 'verify']);
  const sig = await crypto.subtle.sign('HMAC', key, enc.encode('The quick brown fox jumps over the lazy dog'));
  const hex = Array.from(new Uint8Array(sig), (b) => b.toString(16).padStart(2, '0')).join('');
  return [hex, await crypto.subtle.verify('HMAC', key, sig, enc.encode('The quick brown fox jumps over the lazy dog'))];
})()
