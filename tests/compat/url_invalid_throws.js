new URL('not a url')
