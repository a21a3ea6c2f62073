// the classic way to base64 UTF-8 text in a browser
btoa(unescape(encodeURIComponent('中文 ✓')))
