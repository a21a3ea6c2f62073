function f() { $exit([1, 2, 3]); return 'late'; }
f()
