const hex = bytes => Array.from(bytes, b => b.toString(16).padStart(2, '0')).join('');
hex(new TextEncoder().encode('abc{}'))
