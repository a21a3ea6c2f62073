// crypto randomness draws from the same seeded generator.
[Array.from(crypto.getRandomValues(new Uint8Array(8))), crypto.randomUUID()]
