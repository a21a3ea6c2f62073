const u = new URL('https://user:pw@api.example.com:8443/v1/items?id=7&sort=asc#top');
({ protocol: u.protocol, username: u.username, password: u.password, host: u.host,
   hostname: u.hostname, port: u.port, pathname: u.pathname, search: u.search, hash: u.hash,
   origin: u.origin })
