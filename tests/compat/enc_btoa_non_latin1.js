btoa('中文')
