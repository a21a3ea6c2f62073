console.log(Array.from({ length: 26 }, (_, i) => i * 7)); 0
