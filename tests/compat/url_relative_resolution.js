[new URL('../x?y=1', 'https://a.com/b/c/d').href, new URL('//cdn.a.com/s.js', 'https://a.com/').href, new URL('?p=2', 'https://a.com/list?p=1').href]
