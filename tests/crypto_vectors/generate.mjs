// Generates tests/crypto_vectors/vectors.json: Web Crypto and never_jscore helper
// vectors whose expected results come from this machine's Node.js, so that jscore's
// crypto is checked byte for byte against Node's (tests/engine/crypto_test.cc).
//
//   node tests/crypto_vectors/generate.mjs > tests/crypto_vectors/vectors.json
//
// Inputs are deterministic (a fixed LCG and a fixed RSA key), so the file only
// changes when the vectors or Node's behaviour change. RSA-OAEP ciphertexts are
// random by design: those vectors carry a "check" (the private key and the expected
// plaintext) instead of an expected ciphertext, and the test decrypts with OpenSSL.
import { webcrypto, createHash, createHmac, createPrivateKey, createPublicKey, privateDecrypt, constants } from 'node:crypto';

const subtle = webcrypto.subtle;

// A fixed 2048-bit RSA key (PKCS#8, base64), generated once with
// `openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048`. Test data only.
const RSA_PKCS8_B64 = 'MIIEvAIBADANBgkqhkiG9w0BAQEFAASCBKYwggSiAgEAAoIBAQDFlJBGMM9jwkZigLnnhSOCEMfHfXi5NV654NU/nsDm2HX3SnGpkPjuycFaIpSl6XHpzHgbzLiaET7eUgiYQXyF+FYekdKgMsU3TALRD+nyuhAyorDZwjNusfYB4wV5wyIjzfKbV69iwPpZnz5V1tlkpAD1PRl6ZvsS7atrZJ9pONUyn/gvC9Xe2jq/1eizUrIaddLAmxjRij8LZiuk6R+PCSc4tgDnE+UYyZNU+g/rpAXAyjFgEo/PVlvnbQMKNnrsbjWWRRnnxTf8PcXy3EUGBMLHLA4avC+pCzpcc/DJZKBNMQaGCOK3Yt7judc5xpJbLukIyqIdnOjohgbwpF9nAgMBAAECggEASJ5nfpzfBMv5YaftbCY3nEz9mJlJv0zZ4Zi82DLJtK73gKoIZ6nkjKNz4OSX3PkVyLhBpvoSGXJgOIdPKGLdWUIiqP6wuveeG8pguKVQN8niPTIlrQufKr7W6++cahnp2N4Pnr/WMwY5naoVV6htY3uR7JEF5cKm4lifagvkOWAn+R0t75dFBlKa7sB0Mzh5q/LDtDDLhpUJXSrK18MAiNgwqi0dPm6UU35y5Uei7X+27VwtQamRYQGbC/+1Xf28GA0+Kc0hKYZApat18ZnPyRh1btShmRoqvq9QDojkp4YVuMmmciaCI7qNsWCNPsc0VarkqRpyuaoxMYNGxy8xFQKBgQDvihMk+iNE/lVBp+FqgBvf5U5HrrkOPrbyjjOnJNDnK5u/isuQPTxmSW1yQlzIBIZO0hSR0nk4LyALKzvK6tre1/2xaLo7VjjEYJ1d/aj6CTxypADCr1L1ZKxV6WS/OONSVrZsLEbqpPI7nzaJ1nvQS85QwSEQ4q2sIkgndBqBowKBgQDTKFrBoWrWH0wS4OCHaERQfUgRgLzMfI3Nq1N+87em31+CRvMU2S4vPkkuR+GUOG8gDscx/dpaUxSIsgCwMdFFPctjV6x5q7cp0wzPRWrMZjbSY9xPBRv0ITPIcPHmq6AALFDlgLRFmaV1mEpJmys5S8oQFUumc/WhsIowYZzvbQKBgDRZ1dNIA7tJZnKh8Sbodq8ZG2GZMwKE/FDIeUt3RVywcCqNd+2/JFsqgwvsqwBf1MaXLT2tZSa9TeCDA19WspzvUZebTtA3CNMKVno7PNngeOCJLU1fKd9NsEhaaNVN5oiRQO8lQh54DCSxqCa5xHeCicWmX8aj89bh6ykMO9rHAoGANMuINZWoYrUcjjPPr8twGTfZxxaLHg2eXugRTlKdfomnFamrqXDLzWAjaADs8+RQVJGdWHCCIcdYAP2Qkn1CN6/FpKcNJra6ayirsT9H/qcn2d7B/LfoT1fl3J3wvZ33uVNbPqa5bBWIeyiCmnjDi+XZNcA9U/b2WWEMjCA73tkCgYBW9grT/FHuVfkWMNWdWMf+ONphXqVdoC3Z9ZGv+s1nWpYkq1xILrYMAEmPkbLB9gDKBUFZgCoZ+B5GADLYu3soa7OJCIJZx9mm9oP5kcYvVUv92COqM6UXInxg8R/qUvqi6+i9x41F4CkxyGT6BEXmJ5erhb+CO4zEjumbr6r99A==';

// Helpers every vector's script may use; they run identically in Node and jscore.
const PRELUDE = [
  "const bytes = (h) => new Uint8Array((h.match(/../g) || []).map((x) => parseInt(x, 16)));",
  "const hex = (b) => Array.from(new Uint8Array(b), (x) => x.toString(16).padStart(2, '0')).join('');",
  "const errorName = async (f) => { try { await f(); return 'no error'; } catch (e) { return e.name; } };",
].join('\n');

// Deterministic bytes: a 32-bit LCG, seeded per use.
function lcgHex(seed, length) {
  let x = seed >>> 0;
  let out = '';
  for (let i = 0; i < length; i++) {
    x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
    out += ((x >>> 24) & 0xff).toString(16).padStart(2, '0');
  }
  return out;
}

const vectors = [];
const AsyncFunction = (async () => {}).constructor;

async function add(name, script, extra = {}) {
  const run = new AsyncFunction(PRELUDE + '\n' + script);
  const expected = await run();
  const vector = { name, script };
  if (extra.check) {
    vector.check = extra.check(expected);
  } else {
    vector.expected = expected;
  }
  vectors.push(vector);
}

const JSON_ = JSON.stringify;
let seed = 1;

// ---- digest ----
for (const alg of ['SHA-1', 'SHA-256', 'SHA-384', 'SHA-512']) {
  for (const length of [0, 1, 3, 55, 56, 64, 111, 128, 1000]) {
    const data = lcgHex(seed++, length);
    await add(`digest ${alg} ${length} bytes`,
      `return hex(await crypto.subtle.digest(${JSON_(alg)}, bytes(${JSON_(data)})));`);
  }
}
await add('digest: algorithm object, lower case, ArrayBuffer and DataView inputs', `
  const data = bytes(${JSON_(lcgHex(seed++, 40))});
  return [hex(await crypto.subtle.digest({ name: 'sha-256' }, data.buffer)),
          hex(await crypto.subtle.digest('Sha-1', new DataView(data.buffer, 3, 20))),
          hex(await crypto.subtle.digest('SHA-512', data.subarray(5, 30)))];`);

// ---- HMAC ----
for (const hash of ['SHA-1', 'SHA-256', 'SHA-384', 'SHA-512']) {
  for (const [keyLength, dataLength] of [[1, 0], [16, 3], [32, 64], [64, 100], [65, 17], [200, 1000]]) {
    const key = lcgHex(seed++, keyLength);
    const data = lcgHex(seed++, dataLength);
    await add(`HMAC ${hash} key ${keyLength} data ${dataLength}`, `
      const key = await crypto.subtle.importKey('raw', bytes(${JSON_(key)}), { name: 'HMAC', hash: ${JSON_(hash)} }, true, ['sign', 'verify']);
      const sig = await crypto.subtle.sign('HMAC', key, bytes(${JSON_(data)}));
      const tampered = new Uint8Array(sig); tampered[0] ^= 1;
      return [hex(sig),
              await crypto.subtle.verify('HMAC', key, sig, bytes(${JSON_(data)})),
              await crypto.subtle.verify('HMAC', key, tampered, bytes(${JSON_(data)})),
              await crypto.subtle.verify({ name: 'HMAC' }, key, sig.slice(1), bytes(${JSON_(data)})),
              key.algorithm, key.type, key.extractable, key.usages];`);
  }
}
{
  const k = lcgHex(seed++, 32);
  const b64url = Buffer.from(k, 'hex').toString('base64url');
  await add('HMAC JWK import, export and the length parameter', `
    const jwk = { kty: 'oct', k: ${JSON_(b64url)}, alg: 'HS256', ext: true };
    const key = await crypto.subtle.importKey('jwk', jwk, { name: 'hmac', hash: { name: 'sha-256' } }, true, ['verify', 'sign']);
    const raw = await crypto.subtle.importKey('raw', bytes(${JSON_(k)}), { name: 'HMAC', hash: 'SHA-256', length: 256 }, true, ['sign']);
    const data = bytes('00112233');
    return [hex(await crypto.subtle.sign('HMAC', key, data)), hex(await crypto.subtle.sign('HMAC', raw, data)),
            await crypto.subtle.exportKey('jwk', key), hex(await crypto.subtle.exportKey('raw', raw)),
            key.usages, Object.prototype.toString.call(key), Object.keys(key)];`);
}

// ---- AES ----
const aesKeyHex = (bits) => lcgHex(seed++, bits / 8);
for (const bits of [128, 192, 256]) {
  for (const length of [0, 1, 15, 16, 17, 100]) {
    const key = aesKeyHex(bits), iv = lcgHex(seed++, 16), data = lcgHex(seed++, length);
    await add(`AES-CBC ${bits} ${length} bytes`, `
      const key = await crypto.subtle.importKey('raw', bytes(${JSON_(key)}), 'AES-CBC', true, ['encrypt', 'decrypt']);
      const ct = await crypto.subtle.encrypt({ name: 'AES-CBC', iv: bytes(${JSON_(iv)}) }, key, bytes(${JSON_(data)}));
      const pt = await crypto.subtle.decrypt({ name: 'aes-cbc', iv: bytes(${JSON_(iv)}) }, key, ct);
      return [hex(ct), hex(pt), key.algorithm];`);
  }
}
for (const [bits, ivLength, aadLength, tagLength, length] of [
  [128, 12, 0, undefined, 0], [128, 12, 0, undefined, 16], [128, 12, 20, 128, 33], [192, 12, 5, 96, 64],
  [256, 12, 0, 64, 1], [256, 16, 13, 104, 100], [256, 13, 0, 112, 17], [128, 128, 0, 120, 5],
  [256, 60, 7, 32, 48], [192, 12, 0, 128, 1000]]) {
  const key = aesKeyHex(bits), iv = lcgHex(seed++, ivLength), aad = lcgHex(seed++, aadLength), data = lcgHex(seed++, length);
  const params = `{ name: 'AES-GCM', iv: bytes(${JSON_(iv)})${aadLength ? `, additionalData: bytes(${JSON_(aad)})` : ''}${tagLength ? `, tagLength: ${tagLength}` : ''} }`;
  await add(`AES-GCM ${bits} iv ${ivLength} aad ${aadLength} tag ${tagLength ?? 'default'} ${length} bytes`, `
    const key = await crypto.subtle.importKey('raw', bytes(${JSON_(key)}), { name: 'AES-GCM' }, false, ['encrypt', 'decrypt']);
    const ct = await crypto.subtle.encrypt(${params}, key, bytes(${JSON_(data)}));
    const pt = await crypto.subtle.decrypt(${params}, key, ct);
    const bad = new Uint8Array(ct); bad[bad.length - 1] ^= 0x80;
    return [hex(ct), hex(pt), await errorName(() => crypto.subtle.decrypt(${params}, key, bad))];`);
}
for (const [bits, counterLength, counter, length] of [
  [128, 128, lcgHex(99, 16), 100], [128, 64, '000102030405060708090a0b0c0d0e0f', 64],
  [192, 64, '0001020304050607fffffffffffffffe', 80], [256, 32, 'a0a1a2a3a4a5a6a7a8a9aaabfffffffd', 70],
  [128, 8, '00000000000000000000000000000080', 2048], [256, 4, 'fffffffffffffffffffffffffffffffc', 200],
  [128, 128, 'fffffffffffffffffffffffffffffffe', 64], [128, 1, '00000000000000000000000000000000', 32],
  [128, 16, '0f0e0d0c0b0a09080706050403020100', 0]]) {
  const key = aesKeyHex(bits), data = lcgHex(seed++, length);
  await add(`AES-CTR ${bits} length ${counterLength} counter ${counter} ${length} bytes`, `
    const key = await crypto.subtle.importKey('raw', bytes(${JSON_(key)}), 'AES-CTR', false, ['encrypt', 'decrypt']);
    const params = { name: 'AES-CTR', counter: bytes(${JSON_(counter)}), length: ${counterLength} };
    const ct = await crypto.subtle.encrypt(params, key, bytes(${JSON_(data)}));
    return [hex(ct), hex(await crypto.subtle.decrypt(params, key, ct))];`);
}
{
  const key = aesKeyHex(256);
  const k = Buffer.from(key, 'hex').toString('base64url');
  await add('AES JWK import and export', `
    const key = await crypto.subtle.importKey('jwk', { kty: 'oct', k: ${JSON_(k)}, alg: 'A256GCM', key_ops: ['encrypt', 'decrypt'] }, 'AES-GCM', true, ['decrypt', 'encrypt']);
    const ct = await crypto.subtle.encrypt({ name: 'AES-GCM', iv: bytes('000000000000000000000000') }, key, bytes('68656c6c6f'));
    return [hex(ct), await crypto.subtle.exportKey('jwk', key), hex(await crypto.subtle.exportKey('raw', key)), key.algorithm, key.usages];`);
}

// ---- RSA-OAEP encryption with a public key from SPKI or JWK ----
const privateKey = createPrivateKey({ key: Buffer.from(RSA_PKCS8_B64, 'base64'), format: 'der', type: 'pkcs8' });
const publicKey = createPublicKey(privateKey);
const spkiHex = publicKey.export({ format: 'der', type: 'spki' }).toString('hex');
const publicJwk = publicKey.export({ format: 'jwk' });
const pkcs8Hex = Buffer.from(RSA_PKCS8_B64, 'base64').toString('hex');
for (const [format, hash, labelLength, length] of [
  ['spki', 'SHA-1', 0, 0], ['spki', 'SHA-1', 0, 32], ['spki', 'SHA-256', 0, 190], ['spki', 'SHA-256', 16, 64],
  ['jwk', 'SHA-256', 0, 100], ['jwk', 'SHA-1', 8, 214]]) {
  const label = lcgHex(seed++, labelLength), data = lcgHex(seed++, length);
  const keyData = format === 'spki' ? `bytes(${JSON_(spkiHex)})`
    : JSON_({ ...publicJwk, alg: hash === 'SHA-1' ? 'RSA-OAEP' : 'RSA-OAEP-256' });
  await add(`RSA-OAEP ${format} ${hash} label ${labelLength} ${length} bytes`, `
    const key = await crypto.subtle.importKey(${JSON_(format)}, ${keyData}, { name: 'RSA-OAEP', hash: ${JSON_(hash)} }, true, ['encrypt']);
    const ct = await crypto.subtle.encrypt({ name: 'RSA-OAEP'${labelLength ? `, label: bytes(${JSON_(label)})` : ''} }, key, bytes(${JSON_(data)}));
    return hex(ct);`, {
    check: (ciphertext) => {
      // Sanity: Node's own ciphertext decrypts to the input.
      const plain = privateDecrypt({ key: privateKey, padding: constants.RSA_PKCS1_OAEP_PADDING,
        oaepHash: hash.replace('-', '').toLowerCase(), oaepLabel: Buffer.from(label, 'hex') }, Buffer.from(ciphertext, 'hex'));
      if (plain.toString('hex') !== data) throw new Error('RSA-OAEP sanity check failed');
      return { kind: 'rsa-oaep-decrypt', pkcs8: pkcs8Hex, hash, label, plaintext: data, ciphertext_bytes: ciphertext.length / 2 };
    },
  });
}
await add('RSA-OAEP key shape and export', `
  const key = await crypto.subtle.importKey('spki', bytes(${JSON_(spkiHex)}), { name: 'RSA-OAEP', hash: 'SHA-256' }, true, ['encrypt']);
  const jwk = await crypto.subtle.exportKey('jwk', key);
  return [key.type, key.algorithm.name, key.algorithm.modulusLength, hex(key.algorithm.publicExponent), key.algorithm.hash,
          key.usages, jwk.kty, jwk.n, jwk.e, jwk.alg, hex(await crypto.subtle.exportKey('spki', key))];`);

// ---- errors: the DOMException names browsers and Node use ----
const errorCases = [
  ['unknown digest', "crypto.subtle.digest('SHA-3', bytes('00'))"],
  ['digest of a string', "crypto.subtle.digest('SHA-256', 'abc')"],
  ['AES key of 15 bytes', "crypto.subtle.importKey('raw', new Uint8Array(15), 'AES-GCM', true, ['encrypt'])"],
  ['AES key with a sign usage', "crypto.subtle.importKey('raw', new Uint8Array(16), 'AES-GCM', true, ['sign'])"],
  ['secret key without usages', "crypto.subtle.importKey('raw', new Uint8Array(16), 'AES-GCM', true, [])"],
  ['unknown usage', "crypto.subtle.importKey('raw', new Uint8Array(16), 'AES-GCM', true, ['bogus'])"],
  ['empty HMAC key', "crypto.subtle.importKey('raw', new Uint8Array(0), { name: 'HMAC', hash: 'SHA-1' }, true, ['sign'])"],
  ['HMAC without hash', "crypto.subtle.importKey('raw', new Uint8Array(8), { name: 'HMAC' }, true, ['sign'])"],
  ['unsupported algorithm', "crypto.subtle.importKey('raw', new Uint8Array(8), { name: 'PBKDF3' }, false, ['deriveBits'])"],
  ['RSA key as raw', "crypto.subtle.importKey('raw', new Uint8Array(10), { name: 'RSA-OAEP', hash: 'SHA-256' }, true, ['encrypt'])"],
  ['bad SPKI', "crypto.subtle.importKey('spki', new Uint8Array(10), { name: 'RSA-OAEP', hash: 'SHA-256' }, true, ['encrypt'])"],
  ['JWK alg mismatch', "crypto.subtle.importKey('jwk', { kty: 'oct', k: 'AAAAAAAAAAAAAAAAAAAAAA', alg: 'A256GCM' }, 'AES-GCM', true, ['encrypt'])"],
  ['JWK kty mismatch', "crypto.subtle.importKey('jwk', { kty: 'RSA', k: 'AAAAAAAAAAAAAAAAAAAAAA' }, 'AES-GCM', true, ['encrypt'])"],
  ['AES-CBC iv of 15 bytes', "crypto.subtle.importKey('raw', new Uint8Array(16), 'AES-CBC', false, ['encrypt']).then((k) => crypto.subtle.encrypt({ name: 'AES-CBC', iv: new Uint8Array(15) }, k, new Uint8Array(1)))"],
  ['AES-CBC bad padding', "crypto.subtle.importKey('raw', new Uint8Array(16), 'AES-CBC', false, ['decrypt']).then((k) => crypto.subtle.decrypt({ name: 'AES-CBC', iv: new Uint8Array(16) }, k, new Uint8Array(16)))"],
  ['AES-GCM with an HMAC key', "crypto.subtle.importKey('raw', new Uint8Array(16), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']).then((k) => crypto.subtle.encrypt({ name: 'AES-GCM', iv: new Uint8Array(12) }, k, new Uint8Array(1)))"],
  ['AES-GCM without iv', "crypto.subtle.importKey('raw', new Uint8Array(16), 'AES-GCM', false, ['encrypt']).then((k) => crypto.subtle.encrypt({ name: 'AES-GCM' }, k, new Uint8Array(1)))"],
  ['AES-GCM empty iv', "crypto.subtle.importKey('raw', new Uint8Array(16), 'AES-GCM', false, ['encrypt']).then((k) => crypto.subtle.encrypt({ name: 'AES-GCM', iv: new Uint8Array(0) }, k, new Uint8Array(1)))"],
  ['AES-GCM iv of 8 bytes', "crypto.subtle.importKey('raw', new Uint8Array(16), 'AES-GCM', false, ['encrypt']).then((k) => crypto.subtle.encrypt({ name: 'AES-GCM', iv: new Uint8Array(8) }, k, new Uint8Array(1)))"],
  ['AES-GCM tag length 100', "crypto.subtle.importKey('raw', new Uint8Array(16), 'AES-GCM', false, ['encrypt']).then((k) => crypto.subtle.encrypt({ name: 'AES-GCM', iv: new Uint8Array(12), tagLength: 100 }, k, new Uint8Array(1)))"],
  ['AES-GCM input shorter than the tag', "crypto.subtle.importKey('raw', new Uint8Array(16), 'AES-GCM', false, ['decrypt']).then((k) => crypto.subtle.decrypt({ name: 'AES-GCM', iv: new Uint8Array(12) }, k, new Uint8Array(1)))"],
  ['AES-GCM decrypt with an encrypt-only key', "crypto.subtle.importKey('raw', new Uint8Array(16), 'AES-GCM', false, ['encrypt']).then((k) => crypto.subtle.decrypt({ name: 'AES-GCM', iv: new Uint8Array(12) }, k, new Uint8Array(20)))"],
  ['AES-CTR length 0', "crypto.subtle.importKey('raw', new Uint8Array(16), 'AES-CTR', false, ['encrypt']).then((k) => crypto.subtle.encrypt({ name: 'AES-CTR', counter: new Uint8Array(16), length: 0 }, k, new Uint8Array(1)))"],
  ['AES-CTR counter of 15 bytes', "crypto.subtle.importKey('raw', new Uint8Array(16), 'AES-CTR', false, ['encrypt']).then((k) => crypto.subtle.encrypt({ name: 'AES-CTR', counter: new Uint8Array(15), length: 64 }, k, new Uint8Array(1)))"],
  ['AES-CTR counter would repeat', "crypto.subtle.importKey('raw', new Uint8Array(16), 'AES-CTR', false, ['encrypt']).then((k) => crypto.subtle.encrypt({ name: 'AES-CTR', counter: new Uint8Array(16), length: 1 }, k, new Uint8Array(33)))"],
  ['sign with an AES key', "crypto.subtle.importKey('raw', new Uint8Array(16), 'AES-GCM', false, ['encrypt']).then((k) => crypto.subtle.sign('HMAC', k, new Uint8Array(1)))"],
  ['sign with a verify-only key', "crypto.subtle.importKey('raw', new Uint8Array(16), { name: 'HMAC', hash: 'SHA-256' }, false, ['verify']).then((k) => crypto.subtle.sign('HMAC', k, new Uint8Array(1)))"],
  ['generateKey AES length 100', "crypto.subtle.generateKey({ name: 'AES-GCM', length: 100 }, true, ['encrypt'])"],
  ['RSA-OAEP decrypt with a public key', "crypto.subtle.importKey('spki', bytes(" + JSON_(spkiHex) + "), { name: 'RSA-OAEP', hash: 'SHA-256' }, false, ['encrypt']).then((k) => crypto.subtle.decrypt({ name: 'RSA-OAEP' }, k, new Uint8Array(256)))"],
  ['RSA-OAEP message too long', "crypto.subtle.importKey('spki', bytes(" + JSON_(spkiHex) + "), { name: 'RSA-OAEP', hash: 'SHA-256' }, false, ['encrypt']).then((k) => crypto.subtle.encrypt({ name: 'RSA-OAEP' }, k, new Uint8Array(191)))"],
];
for (const [name, expression] of errorCases) {
  await add(`error: ${name}`, `return await errorName(() => ${expression});`);
}
await add('generateKey: shapes', `
  const hmac = await crypto.subtle.generateKey({ name: 'HMAC', hash: 'SHA-512' }, true, ['sign']);
  const aes = await crypto.subtle.generateKey({ name: 'AES-CTR', length: 192 }, false, ['encrypt']);
  return [hmac.algorithm.name, hmac.algorithm.length, hmac.algorithm.hash.name, (await crypto.subtle.exportKey('raw', hmac)).byteLength,
          aes.algorithm, aes.extractable, aes.usages];`);

// ---- never_jscore's synchronous helpers, against Node's crypto and Buffer ----
const texts = ['', 'abc', 'Hello World', 'The quick brown fox jumps over the lazy dog', 'héllo wörld ✓ 你好 😀', 'x'.repeat(1000)];
const sync = (name, script, expected) => vectors.push({ name, script: `return ${script};`, expected });
const digestHex = (alg, data) => createHash(alg).update(data).digest('hex');
for (const text of texts) {
  const t = JSON_(text);
  for (const alg of ['md5', 'sha1', 'sha256', 'sha512']) {
    sync(`${alg}(${text.slice(0, 12)})`, `[${alg}(${t}), CryptoUtils.${alg}(${t})]`, [digestHex(alg, text), digestHex(alg, text)]);
  }
  const key = 'key-' + text.slice(0, 5);
  for (const [fn, alg] of [['hmacMd5', 'md5'], ['hmacSha1', 'sha1'], ['hmacSha256', 'sha256'], ['hmacSha512', 'sha512']]) {
    sync(`CryptoUtils.${fn}(${text.slice(0, 12)})`, `CryptoUtils.${fn}(${JSON_(key)}, ${t})`,
         createHmac(alg, key).update(text).digest('hex'));
  }
  const b64 = Buffer.from(text, 'utf8').toString('base64');
  sync(`base64 and hex (${text.slice(0, 12)})`,
       `[CryptoUtils.base64Encode(${t}), CryptoUtils.base64Decode(${JSON_(b64)}), CryptoUtils.hexEncode(${t}), CryptoUtils.hexDecode(${JSON_(Buffer.from(text).toString('hex'))})]`,
       [b64, text, Buffer.from(text, 'utf8').toString('hex'), text]);
  sync(`urlEncode/urlDecode (${text.slice(0, 12)})`,
       `[CryptoUtils.urlEncode(${t}), CryptoUtils.urlDecode(${JSON_(encodeURIComponent(text))})]`,
       [encodeURIComponent(text), text]);
}
{
  const data = lcgHex(seed++, 70);
  sync('helpers on bytes', `[md5(bytes(${JSON_(data)})), CryptoUtils.sha256(bytes(${JSON_(data)}).buffer), CryptoUtils.hmacSha1(bytes('0102'), bytes(${JSON_(data)})), CryptoUtils.base64Encode(bytes(${JSON_(data)}))]`,
       [digestHex('md5', Buffer.from(data, 'hex')), digestHex('sha256', Buffer.from(data, 'hex')),
        createHmac('sha1', Buffer.from('0102', 'hex')).update(Buffer.from(data, 'hex')).digest('hex'), Buffer.from(data, 'hex').toString('base64')]);
}
for (const alg of ['md5', 'sha1', 'sha256', 'sha384', 'sha512']) {
  const h = createHash(alg).update('part one, ').update(Buffer.from('7061727420c3a9', 'hex')).update('ff00', 'hex').update('aGk=', 'base64').update('\u00e9', 'latin1');
  const digest = h.digest();
  sync(`createHash(${alg}) chained, every encoding`,
       `(() => { const d = () => CryptoUtils.createHash(${JSON_(alg)}).update('part one, ').update(bytes('7061727420c3a9')).update('ff00', 'hex').update('aGk=', 'base64').update('\\u00e9', 'latin1');
                 return [d().digest('hex'), d().digest('base64'), d().digest('base64url'), Array.from(d().digest()), d().digest('latin1')]; })()`,
       [digest.toString('hex'), digest.toString('base64'), digest.toString('base64url'), Array.from(digest), digest.toString('latin1')]);
  const mac = createHmac(alg, 'secret key').update('message').update(Buffer.from('00ff', 'hex')).digest();
  sync(`createHmac(${alg})`,
       `[CryptoUtils.createHmac(${JSON_(alg)}, 'secret key').update('message').update(bytes('00ff')).digest('hex'),
         CryptoUtils.createHmac(${JSON_(alg)}, bytes(${JSON_(Buffer.from('secret key').toString('hex'))})).update('message').update(bytes('00ff')).digest('base64')]`,
       [mac.toString('hex'), mac.toString('base64')]);
}

process.stdout.write(JSON.stringify({
  about: 'Generated by tests/crypto_vectors/generate.mjs; do not edit. Each script runs as the body of an async function after the prelude; its result must equal expected (or pass check).',
  node: process.version,
  prelude: PRELUDE,
  vectors,
}, null, 1) + '\n');
