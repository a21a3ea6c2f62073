[new URL('file:///C:/Users/me/a b.txt').pathname, new URL('HTTP://Example.COM:80/%7e').href, new URL('mailto:x@y.z?subject=hi there').href]
