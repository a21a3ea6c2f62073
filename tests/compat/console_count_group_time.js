console.count('k'); console.count('k'); console.group('section'); console.log('inside'); console.groupEnd(); console.log('outside'); 0
