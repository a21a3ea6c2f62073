const a = performance.now(); const b = performance.now(); [typeof a, b >= a, a >= 0, performance.timeOrigin > 1.6e12]
