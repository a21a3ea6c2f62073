escape(new TextDecoder().decode(new Uint8Array([0x61, 0xFF, 0x62])))
