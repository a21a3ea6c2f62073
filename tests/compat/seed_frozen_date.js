// frozen_time_ms: Date.now(), new Date() and Date() stand still.
const start = Date.now();
for (let i = 0; i < 100000; i++) {}
[start, Date.now(), new Date().toISOString(), new Date(0).toISOString(), Date() === new Date().toString()]
