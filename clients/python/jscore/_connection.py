"""What the sync and the async client share about their connection.

The target and token defaults from the environment (``JSCORE_TARGET``,
``JSCORE_TOKEN_FILE``), the metadata every call carries, and the forwarding of
console lines to :mod:`logging`. No I/O here but reading the token file.
"""

from __future__ import annotations

import logging
import os
from typing import Any, Callable, Optional, Sequence, Union

import grpc

from jscore._proto import pb
from jscore._requests import Metadata, Target, console_of
from jscore.errors import ConsoleLine, Error, Timeout, Unavailable

__all__ = [
    "DEFAULT_TARGET",
    "Console",
    "ConsoleSink",
    "call_metadata",
    "check_connected",
    "console_sink",
    "forward_console",
    "name_client_deadline",
    "read_token_file",
    "resolve_target",
]

DEFAULT_TARGET = "127.0.0.1:50051"

Console = Union[None, str, logging.Logger]
"""Where console lines go: ``None`` (only into results), ``"logging"`` (the
``jscore.console`` logger) or a ``logging.Logger`` of your own."""

ConsoleSink = Callable[[Sequence[ConsoleLine]], None]

# A script's console level -> the logging level its lines are logged at.
_LOGGING_LEVELS = {
    "log": logging.INFO,
    "info": logging.INFO,
    "warn": logging.WARNING,
    "error": logging.ERROR,
    "debug": logging.DEBUG,
    "trace": logging.DEBUG,
}


def resolve_target(target: Optional[Target]) -> Target:
    """``target``, else ``$JSCORE_TARGET``, else ``127.0.0.1:50051``."""
    if target is not None:
        return target
    return os.environ.get("JSCORE_TARGET") or DEFAULT_TARGET


def read_token_file(path: str) -> str:
    """The token in the first line of ``path`` (surrounding blanks stripped)."""
    with open(path, encoding="utf-8") as f:
        token = f.readline().strip()
    if not token:
        raise ValueError(f"no token in the first line of {path}")
    return token


def call_metadata(metadata: Metadata, token: Optional[str]) -> Optional[Metadata]:
    """The metadata of every call: ``metadata``, and ``authorization: Bearer <token>``
    (what the Go and Java clients' token option sends; the daemon's
    ``--auth_token_file``/``--auth_callers_file``). The token comes from ``token``,
    else from the file named by ``$JSCORE_TOKEN_FILE``; ``token=""`` sends none."""
    if token is None:
        path = os.environ.get("JSCORE_TOKEN_FILE")
        if path:
            token = read_token_file(path)
    out = tuple(metadata)
    if token:
        if any(key.lower() == "authorization" for key, _ in out):
            raise ValueError("give the token either as token= or in metadata, not both")
        out += (("authorization", f"Bearer {token}"),)
    return out or None


def console_sink(console: Console) -> Optional[ConsoleSink]:
    """A function that logs console lines as ``console`` asks, or ``None``."""
    if console is None:
        return None
    if console == "logging":
        logger = logging.getLogger("jscore.console")
    elif isinstance(console, logging.Logger):
        logger = console
    else:
        raise ValueError(f'console must be None, "logging" or a logging.Logger, not {console!r}')

    def sink(lines: Sequence[ConsoleLine]) -> None:
        for line in lines:
            logger.log(_LOGGING_LEVELS.get(line.level, logging.INFO), "%s", line.text,
                       extra={"js_level": line.level})

    return sink


def forward_console(sink: Optional[ConsoleSink], response: object) -> None:
    """Hands the console lines of an ``EvaluateResponse`` to ``sink`` (if any)."""
    if sink is not None and isinstance(response, pb.EvaluateResponse) and response.console:
        sink(console_of(response))


def check_connected(error: grpc.RpcError, target: str, timeout: Any) -> None:
    """After a failed probe of the connection: returns if the daemon answered (with
    an error status: it is connected), else raises :class:`~jscore.Unavailable`."""
    code = error.code() if callable(getattr(error, "code", None)) else None
    if code in (grpc.StatusCode.DEADLINE_EXCEEDED, grpc.StatusCode.UNAVAILABLE):
        raise Unavailable(f"could not connect to {target} within {timeout} s",
                          grpc.StatusCode.UNAVAILABLE) from None


def name_client_deadline(error: Error, rpc_deadline: Optional[float]) -> Error:
    """A :class:`~jscore.Timeout` that gRPC raised on the client's side (the daemon
    did not answer in time: unreachable with ``wait_for_ready``, or stuck) names the
    deadline that passed; the daemon's own timeouts already name theirs."""
    if isinstance(error, Timeout) and error.message == "Deadline Exceeded" and rpc_deadline:
        return Timeout(
            f"no answer within the call's gRPC deadline of {rpc_deadline:g} s (the timeout "
            "plus a margin for the daemon to report its own timeout)", error.code, error.detail)
    return error
