// expect: value "a\ufffdb\ufffd"
"a\uD800b\uDFFF"
