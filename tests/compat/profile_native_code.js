// What jscore adds prints like a browser's built-ins.
[String(document.createElement), String(Object.getOwnPropertyDescriptor(Navigator.prototype, 'userAgent').get),
 String(localStorage.getItem), String(md5), String(crypto.subtle.digest)]
