const apis = ['atob', 'btoa', 'TextEncoder', 'TextDecoder', 'structuredClone', 'performance', 'URL',
              'URLSearchParams', 'Event', 'EventTarget', 'CustomEvent', 'AbortController', 'AbortSignal',
              'DOMException', 'console'];
[Object.keys(globalThis).filter(k => apis.includes(k)), apis.every(name => name in globalThis)]
