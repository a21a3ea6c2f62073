[typeof atob, typeof btoa, typeof TextEncoder, typeof URL, typeof AbortController, typeof performance, typeof structuredClone, typeof fetch]
