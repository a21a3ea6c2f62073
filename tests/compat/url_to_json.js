JSON.stringify({ u: new URL('https://a.com') })
