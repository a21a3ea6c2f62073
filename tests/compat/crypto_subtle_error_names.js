(async () => {
  const name = (p) => p.then(() => 'ok', (e) => e.name);
  const aes = await crypto.subtle.importKey('raw', new Uint8Array(16), 'AES-CBC', false, ['encrypt']);
  return Promise.all([
    name(crypto.subtle.digest('MD5', new Uint8Array(1))),
    name(crypto.subtle.importKey('raw', new Uint8Array(7), 'AES-CBC', false, ['encrypt'])),
    name(crypto.subtle.encrypt({ name: 'AES-CBC', iv: new Uint8Array(8) }, aes, new Uint8Array(1))),
    name(crypto.subtle.sign('HMAC', aes, new Uint8Array(1))),
  ]);
})()
