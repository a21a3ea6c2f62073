[String(atob), String(TextEncoder), String(URL.prototype.toString), String(structuredClone)]
