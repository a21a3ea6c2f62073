const p = new URLSearchParams('a=1&b=2&a=3'); [[...p], [...p.keys()], p.getAll('a'), p.size]
