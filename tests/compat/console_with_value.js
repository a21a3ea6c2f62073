console.log('computing'); 6 * 7
