[CryptoUtils.base64Encode('Hello, 世界'), CryptoUtils.base64Decode('SGVsbG8sIOS4lueVjA=='),
 CryptoUtils.hexEncode('ab'), CryptoUtils.hexDecode('6869'),
 CryptoUtils.urlEncode('a b&c=d/é'), CryptoUtils.urlDecode('a%20b%26c%3Dd%2F%C3%A9')]
