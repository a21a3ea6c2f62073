"""Programs written as modern JavaScript: Call names top-level const/let/class bindings."""

from __future__ import annotations

import jscore

SHAPES = """
const sign = (a) => "const:" + a;
let later = { sign: (a) => "let:" + a };
class Signer { static sign(a) { return "class:" + a; } }
const CryptoLib = { key: "K", encrypt(a) { return this.key + a; } };
"""


def test_call_reaches_const_let_class_and_dotted_paths(client: jscore.Client) -> None:
    prog = client.load_program(SHAPES)
    assert prog.call("sign", "x") == "const:x"
    assert prog.call("later.sign", "x") == "let:x"
    assert prog.call("Signer.sign", "x") == "class:x"
    assert prog.call("CryptoLib.encrypt", "x") == "Kx"
