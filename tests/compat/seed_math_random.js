// random_seed 42: xoshiro256** seeded through SplitMix64, the same everywhere.
[Math.random(), Math.random(), Math.random()].map(String)
