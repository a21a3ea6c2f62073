const p = new URLSearchParams('z=1&a=2&m=3&a=1'); p.sort(); p.toString()
