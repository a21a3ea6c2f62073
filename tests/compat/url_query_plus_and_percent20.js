const p = new URLSearchParams('q=a+b%20c&r=%2B1'); [p.get('q'), p.get('r')]
