new TextDecoder().decode(new Uint8Array([228, 189, 160, 229, 165, 189]))
