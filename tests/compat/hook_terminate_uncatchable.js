console.log('before');
try {
  try {
    $terminate('stopped');
  } finally {
    console.log('finally');
  }
} catch (e) {
  console.log('caught');
}
console.log('after');
