// expect: js_error RangeError
// 1.5 Mi UTF-16 units, 4.5 MiB of UTF-8: the size limit counts the bytes sent (issue 13).
'\u4e2d'.repeat(1.5 * 2 ** 20)
