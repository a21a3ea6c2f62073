new URL('http://example.com:99999/')
