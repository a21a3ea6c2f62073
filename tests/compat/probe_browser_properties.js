// With the browser profile, misses on navigator, document and screen are listed too.
var declared = 1;
function helper() {}
[navigator.webdriver, navigator.brave === undefined, document.all === undefined, typeof screen.mozOrientation,
 typeof window.chrome, typeof window.opr, 'ontouchstart' in window]
