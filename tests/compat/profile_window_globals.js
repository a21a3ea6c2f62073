[window === globalThis, self === window, top === window, window.parent === window,
 Object.prototype.toString.call(window), typeof document, typeof navigator, typeof location,
 typeof screen, typeof localStorage, typeof sessionStorage]
