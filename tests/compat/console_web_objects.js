console.log(new URLSearchParams('a=1&b=2')); console.log(new URL('https://x.org/').searchParams); 0
