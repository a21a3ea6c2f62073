// expect: js_error TypeError
class A { constructor() { this.me = this } } new A()
