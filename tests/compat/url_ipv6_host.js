const u = new URL('http://[0:0::1]:8080/'); [u.host, u.hostname]
