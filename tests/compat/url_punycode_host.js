[new URL('https://münchen.de/').host, new URL('https://例子.测试/').hostname]
