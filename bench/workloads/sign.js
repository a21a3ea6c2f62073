// W2: a signature-style function, as sites compute request signatures: the query
// parameters sorted by name, URL-encoded and joined, a timestamp and a salt appended,
// and the MD5 of that in hex. The MD5 (RFC 1321) is a small pure-JS implementation
// shipped here, so that jscore, node-vm, raw V8 and spawn-per-call all run exactly
// the same code whatever globals their environment offers.
//
//   sign({uid: "10086", q: "jscore"}, 1700000000000)  ->  32 hex digits

var benchMd5 = (function () {
  var K = [
    0xd76aa478, 0xe8c7b756, 0x242070db, 0xc1bdceee, 0xf57c0faf, 0x4787c62a, 0xa8304613, 0xfd469501,
    0x698098d8, 0x8b44f7af, 0xffff5bb1, 0x895cd7be, 0x6b901122, 0xfd987193, 0xa679438e, 0x49b40821,
    0xf61e2562, 0xc040b340, 0x265e5a51, 0xe9b6c7aa, 0xd62f105d, 0x02441453, 0xd8a1e681, 0xe7d3fbc8,
    0x21e1cde6, 0xc33707d6, 0xf4d50d87, 0x455a14ed, 0xa9e3e905, 0xfcefa3f8, 0x676f02d9, 0x8d2a4c8a,
    0xfffa3942, 0x8771f681, 0x6d9d6122, 0xfde5380c, 0xa4beea44, 0x4bdecfa9, 0xf6bb4b60, 0xbebfbc70,
    0x289b7ec6, 0xeaa127fa, 0xd4ef3085, 0x04881d05, 0xd9d4d039, 0xe6db99e5, 0x1fa27cf8, 0xc4ac5665,
    0xf4292244, 0x432aff97, 0xab9423a7, 0xfc93a039, 0x655b59c3, 0x8f0ccc92, 0xffeff47d, 0x85845dd1,
    0x6fa87e4f, 0xfe2ce6e0, 0xa3014314, 0x4e0811a1, 0xf7537e82, 0xbd3af235, 0x2ad7d2bb, 0xeb86d391];
  var S = [7, 12, 17, 22, 5, 9, 14, 20, 4, 11, 16, 23, 6, 10, 15, 21];

  function utf8(str) {
    var out = [];
    for (var i = 0; i < str.length; i++) {
      var c = str.charCodeAt(i);
      if (c < 0x80) {
        out.push(c);
      } else if (c < 0x800) {
        out.push(0xc0 | (c >> 6), 0x80 | (c & 63));
      } else if (c >= 0xd800 && c < 0xdc00 && i + 1 < str.length) {
        c = 0x10000 + ((c - 0xd800) << 10) + (str.charCodeAt(++i) - 0xdc00);
        out.push(0xf0 | (c >> 18), 0x80 | ((c >> 12) & 63), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
      } else {
        out.push(0xe0 | (c >> 12), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
      }
    }
    return out;
  }

  function hex(word) {
    var s = '';
    for (var i = 0; i < 4; i++) s += ((word >>> (8 * i)) & 255).toString(16).padStart(2, '0');
    return s;
  }

  return function md5(str) {
    var bytes = utf8(str);
    var n = bytes.length;
    var words = new Array((((n + 8) >> 6) + 1) * 16).fill(0);
    for (var i = 0; i < n; i++) words[i >> 2] |= bytes[i] << ((i & 3) * 8);
    words[n >> 2] |= 0x80 << ((n & 3) * 8);
    words[words.length - 2] = n * 8;
    var a = 0x67452301, b = 0xefcdab89 | 0, c = 0x98badcfe | 0, d = 0x10325476;
    for (var off = 0; off < words.length; off += 16) {
      var A = a, B = b, C = c, D = d;
      for (var j = 0; j < 64; j++) {
        var f, g;
        if (j < 16) { f = (B & C) | (~B & D); g = j; }
        else if (j < 32) { f = (D & B) | (~D & C); g = (5 * j + 1) & 15; }
        else if (j < 48) { f = B ^ C ^ D; g = (3 * j + 5) & 15; }
        else { f = C ^ (B | ~D); g = (7 * j) & 15; }
        var s = S[(j >> 4) * 4 + (j & 3)];
        var t = (A + f + K[j] + words[off + g]) | 0;
        A = D; D = C; C = B;
        B = (B + ((t << s) | (t >>> (32 - s)))) | 0;
      }
      a = (a + A) | 0; b = (b + B) | 0; c = (c + C) | 0; d = (d + D) | 0;
    }
    return hex(a) + hex(b) + hex(c) + hex(d);
  };
})();

function sign(params, ts) {
  var query = Object.keys(params).sort().map(function (k) {
    return encodeURIComponent(k) + '=' + encodeURIComponent(params[k]);
  }).join('&');
  return benchMd5(query + '&ts=' + ts + '&salt=9f3c7a1e');
}
