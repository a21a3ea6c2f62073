const original = { when: new Date(0), tags: new Map([['a', 1]]), set: new Set([1, 2]), nested: { deep: [1, 2] } };
const copy = structuredClone(original);
[copy !== original, copy.when instanceof Date, copy.when.getTime(), copy.tags.get('a'),
 copy.tags instanceof Map, [...copy.set], copy.nested.deep !== original.nested.deep]
