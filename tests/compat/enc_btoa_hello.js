btoa('Hello World')
