new TextDecoder('utf-8', { fatal: true }).decode(new Uint8Array([0xC3, 0x28]))
