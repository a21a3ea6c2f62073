// The signer of the real-code workload (bench/realcode/README.md): what a site's
// request signing typically does with crypto-js. make_program.js obfuscates it with
// javascript-obfuscator before it is loaded; this plain form is never run by the bench.
function sign(params, ts) {
  var keys = Object.keys(params).sort();
  var parts = [];
  for (var i = 0; i < keys.length; i++) {
    parts.push(keys[i] + '=' + encodeURIComponent(String(params[keys[i]])));
  }
  var query = parts.join('&');
  var key = CryptoJS.MD5('jscore-bench-key-' + (ts % 97));
  var mac = CryptoJS.HmacSHA256(query + '&ts=' + ts, key);
  var digest = CryptoJS.SHA1(CryptoJS.enc.Base64.stringify(mac) + ts).toString(CryptoJS.enc.Hex);
  return {
    sign: CryptoJS.MD5(digest + query).toString(),
    nonce: CryptoJS.enc.Base64.stringify(key).slice(0, 12),
    ts: ts,
  };
}
