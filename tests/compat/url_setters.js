const u = new URL('http://example.com/a');
u.protocol = 'https:'; u.hostname = 'EXAMPLE.org'; u.port = '8080'; u.pathname = 'b c'; u.hash = 'h';
u.href
