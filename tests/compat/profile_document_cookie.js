document.cookie = 'a=1';
document.cookie = 'b=2; path=/; SameSite=Lax';
document.cookie = 'a=3';
const before = document.cookie;
document.cookie = 'b=; expires=Thu, 01 Jan 1970 00:00:00 GMT';
[before, document.cookie, document.readyState]
