const hash = CryptoUtils.createHash('sha1').update('a').update('b');
const mac = CryptoUtils.createHmac('sha256', 'secret').update('payload');
[hash.digest('base64'), mac.digest('hex').length, Array.from(CryptoUtils.createHash('md5').update('').digest()).length]
