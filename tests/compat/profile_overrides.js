[navigator.userAgent, navigator.languages, location.href, location.hostname, location.search,
 document.cookie, document.referrer, screen.width, screen.height]
