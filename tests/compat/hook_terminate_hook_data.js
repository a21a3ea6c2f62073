// $terminate(v): an outcome of its own (hook_data), not a value and not an error.
$terminate({ key: 'k1', values: [1, 'two', null] });
'not reached'
