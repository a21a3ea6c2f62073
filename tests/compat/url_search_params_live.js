const u = new URL('https://shop.example/search?q=shoes');
u.searchParams.set('page', '2');
u.searchParams.append('tag', 'red & blue');
const afterSet = u.href;
u.search = '?q=hats';
[afterSet, u.searchParams.get('q'), u.searchParams.has('page')]
