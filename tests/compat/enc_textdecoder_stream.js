const bytes = new TextEncoder().encode('€uro');
const decoder = new TextDecoder();
const first = decoder.decode(bytes.subarray(0, 2), { stream: true });
const rest = decoder.decode(bytes.subarray(2));
[first, rest]
