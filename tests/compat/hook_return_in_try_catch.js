// A try/catch can catch $return; the caught error says what it is.
let caught = null;
try {
  $return('inner');
} catch (e) {
  caught = [e.message.includes('[jscore:$return]'), e instanceof Error];
}
caught
