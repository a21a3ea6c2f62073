const uuid = crypto.randomUUID();
const bytes = crypto.getRandomValues(new Uint8Array(32));
let error;
try { crypto.getRandomValues(new Float64Array(2)); } catch (e) { error = e.name; }
[/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/.test(uuid), bytes.length, error]
