"""jscore: the Python client of the jscore JavaScript evaluation daemon (``jscored``).

Example::

    import jscore

    with jscore.Client("127.0.0.1:50051", timeout=5.0) as client:
        client.evaluate("1 + 2")                                   # 3
        client.evaluate("x * 2", globals={"x": 21})                # 42
        prog = client.load_program("function sign(s, n) { return s + n }")
        prog.call("sign", "a", 1)                                  # 'a1'
        with client.context() as ctx:                              # a session
            ctx.compile("var n = 0; function inc() { return ++n }")
            ctx.call("inc")                                        # 1
        for r in client.batch(jscore.Eval(f"{i} * 2") for i in range(1000)):
            print(r.id, r.value)

``jscore.aio.Client`` is the same API with async/await.
"""

from jscore._requests import ExecStats, Result
from jscore.batch import BatchItem, BatchResult, CallItem, Eval
from jscore.client import Client, Program
from jscore.session import Context
from jscore.errors import (
    Closed,
    ConsoleLine,
    Error,
    Hooked,
    InvalidArgument,
    JsError,
    JsSyntaxError,
    NotFound,
    ResourceExhausted,
    Timeout,
    Unavailable,
)

__version__ = "0.1.0"

__all__ = [
    "BatchItem",
    "BatchResult",
    "CallItem",
    "Client",
    "Closed",
    "ConsoleLine",
    "Context",
    "Error",
    "Eval",
    "ExecStats",
    "Hooked",
    "InvalidArgument",
    "JsError",
    "JsSyntaxError",
    "NotFound",
    "Program",
    "ResourceExhausted",
    "Result",
    "Timeout",
    "Unavailable",
]

from jscore import aio  # noqa: E402  (jscore.aio.Client without a second import)

__all__ += ["aio"]
