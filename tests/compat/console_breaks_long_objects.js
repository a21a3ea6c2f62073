console.log({ token: 'x'.repeat(40), secret: 'y'.repeat(40) }); 0
