localStorage.setItem('k', 42);
sessionStorage.setItem('s', 'v');
[localStorage.getItem('k'), localStorage.length, localStorage.key(0), sessionStorage.getItem('k'),
 localStorage.getItem('missing')]
