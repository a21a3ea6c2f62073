// expect: value 30103
(2n ** 100000n).toString().length
