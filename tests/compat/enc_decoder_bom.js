const d = new TextDecoder(); [d.decode(new Uint8Array([0xEF, 0xBB, 0xBF, 0x68, 0x69])), d.encoding]
