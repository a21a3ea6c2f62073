// Fingerprinting scripts poke at elements; they get inert ones that accept it all.
const canvas = document.createElement('canvas');
const div = document.createElement('div');
div.setAttribute('class', 'box');
div.style.display = 'none';
document.body.appendChild(div);
[canvas.tagName, canvas.getContext('2d'), div.className, div.getAttribute('class'), div.style.display,
 document.createElement('iframe') instanceof HTMLElement]
