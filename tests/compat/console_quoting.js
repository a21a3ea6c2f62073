console.log(['plain', "it's", 'say "hi"', 'line\nbreak']); 0
