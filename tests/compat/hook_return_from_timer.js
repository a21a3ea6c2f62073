setTimeout(() => $return('from a timer'), 1);
new Promise(() => {})  // would never settle on its own
