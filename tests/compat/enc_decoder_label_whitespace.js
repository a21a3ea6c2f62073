// TextDecoder labels lose ASCII whitespace (TAB LF FF CR SPACE) around them, not VT.
const label = (l) => { try { return new TextDecoder(l).encoding; } catch (e) { return e.name; } };
[label('\t\n\f\r UTF-8 \r\n'), label('\vutf-8'), label('utf-8\v'), label('\u00a0utf8')]
