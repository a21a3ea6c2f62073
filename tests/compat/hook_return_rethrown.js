function sign(input) {
  try {
    if (input.length > 3) $return('short-circuit');
    return 'normal';
  } catch (e) {
    throw e;  // a script that rethrows what it cannot handle lets $return through
  }
}
sign('abcdef')
