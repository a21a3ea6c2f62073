[new URL('http://0x7f.0.0.1/').hostname, new URL('http://2130706433/').hostname, new URL('http://127.1/').hostname]
