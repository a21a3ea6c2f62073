// Object.keys(window) shows the profile's names and standard ones, nothing of jscore's.
const keys = Object.keys(globalThis);
[['md5', 'CryptoUtils', '$return', '$terminate', 'console'].filter((k) => keys.includes(k)),
 ['window', 'document', 'navigator', 'location', 'screen'].every((k) => keys.includes(k)),
 typeof md5, typeof $return]
