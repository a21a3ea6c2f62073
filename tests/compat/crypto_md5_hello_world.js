md5('Hello World')
