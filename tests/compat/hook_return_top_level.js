// never_jscore: $return(v) ends the evaluation at once with v as its result.
const token = 'sig-' + (6 * 7);
$return({ token });
throw new Error('not reached');
