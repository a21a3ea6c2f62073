[URL.canParse('https://x.y'), URL.canParse('/rel'), URL.canParse('/rel', 'https://x.y')]
