[sha1('héllo'), sha256('héllo'), sha512('').slice(0, 16), CryptoUtils.md5('')]
