// never_jscore 2.x: CryptoUtils.hmacXxx(key, message), lowercase hex.
[CryptoUtils.hmacSha256('key', 'The quick brown fox jumps over the lazy dog'),
 CryptoUtils.hmacMd5('key', 'The quick brown fox jumps over the lazy dog'),
 CryptoUtils.hmacSha1('', '')]
