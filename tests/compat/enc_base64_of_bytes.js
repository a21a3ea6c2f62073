btoa(String.fromCharCode(...new Uint8Array([0, 255, 128, 10])))
