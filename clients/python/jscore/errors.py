"""The exceptions of the jscore client.

Every failure is a subclass of :class:`Error`. A script that throws (or returns a
rejected promise) raises :class:`JsError`; the RPC itself succeeded, so its ``code``
is ``None``. Every other error carries the gRPC status code in ``code``:

=========================  ================================================
``DEADLINE_EXCEEDED``      :class:`Timeout` (also a built-in ``TimeoutError``)
``RESOURCE_EXHAUSTED``     :class:`ResourceExhausted` (queue full, heap limit)
``UNAVAILABLE``            :class:`Unavailable` (daemon down or shutting down)
``NOT_FOUND``              :class:`NotFound` (unknown, expired or lost session)
``INVALID_ARGUMENT``       :class:`InvalidArgument` (malformed request)
anything else              :class:`Error`
=========================  ================================================

A response whose result is ``hook_data`` (the script stopped itself with
``$terminate(v)``) raises :class:`Hooked` with the handed-back value in ``data``.
A script that does not compile raises :class:`JsSyntaxError` (a :class:`JsError`).
Using a client after ``close()`` raises :class:`Closed`.
"""

from __future__ import annotations

from typing import Any, Dict, List, NamedTuple, Optional, Sequence, Type

import grpc

from jscore._proto import pb

__all__ = [
    "ERROR_DETAIL_KEY",
    "Closed",
    "ConsoleLine",
    "Error",
    "Hooked",
    "InvalidArgument",
    "JsError",
    "JsSyntaxError",
    "NotFound",
    "ResourceExhausted",
    "Timeout",
    "Unavailable",
    "error_for_status",
    "error_from_rpc",
    "js_error",
    "status_code_from_int",
]


class ConsoleLine(NamedTuple):
    """One line of console output."""

    level: str
    """``"log"``, ``"info"``, ``"warn"``, ``"error"``, ``"debug"`` or ``"trace"``."""
    text: str
    """The formatted text of the line."""


class Error(Exception):
    """Base class of every jscore error.

    Attributes:
        message: What went wrong (the gRPC status details, or the JS message).
        code: The gRPC status code, or ``None`` when the call itself succeeded
            (:class:`JsError`, :class:`Hooked`).
        detail: The ``jscore.v1.ErrorDetail`` the daemon attached (trailing metadata
            ``jscore-error-detail-bin``), if any.
    """

    def __init__(
        self,
        message: str,
        code: Optional[grpc.StatusCode] = None,
        detail: Optional[pb.ErrorDetail] = None,
    ) -> None:
        super().__init__(message)
        self.message: str = message
        self.code: Optional[grpc.StatusCode] = code
        self.detail: Optional[pb.ErrorDetail] = detail

    def __str__(self) -> str:
        if self.code is None:
            return self.message
        return f"{self.code.name}: {self.message}"

    def __reduce__(self) -> Any:
        return (type(self), (self.message, self.code, self.detail))


class Timeout(Error, TimeoutError):
    """The script ran (or awaited) past its deadline (``DEADLINE_EXCEEDED``).

    Also a built-in :class:`TimeoutError`, so ``except TimeoutError`` catches it. The
    message names the limit that applied: the request's timeout, the daemon's
    ``--default_timeout``, its ``--max_timeout`` cap (``timeout=3600`` against a daemon
    capped at 60 s: "timed out after 60 s (--max_timeout caps the requested 3600 s)"),
    or the call's gRPC deadline.
    """


class Closed(Error):
    """The client was closed (:meth:`jscore.Client.close`) before this call."""


class ResourceExhausted(Error):
    """The daemon's queue is full, or the script hit the heap limit (``RESOURCE_EXHAUSTED``)."""


class Unavailable(Error):
    """The daemon is unreachable, shutting down, or replaced the isolate (``UNAVAILABLE``).

    Retrying is safe for stateless evaluations and program calls.
    """


class NotFound(Error):
    """The session is unknown, expired or lost (``NOT_FOUND``)."""


class InvalidArgument(Error):
    """The daemon rejected the request as malformed (``INVALID_ARGUMENT``)."""


class JsError(Error):
    """The script threw, or returned a rejected promise.

    Attributes:
        name: The error's constructor name (``"TypeError"``...); empty when a
            non-Error value was thrown.
        message: The error's message.
        stack: The JS stack trace, as V8 formats it.
        line: 1-based line of the throw, ``None`` if unknown.
        column: 1-based column, ``None`` if unknown.
        source_line: The source line of the throw, when known.
        console: Console output of the script up to the throw.
        thrown: When the script threw something that is not an Error (``throw
            {code: 7}``, ``throw "x"``): that value, decoded like a result (a ``dict``
            in JS key order, ...); ``name`` is then empty and ``message`` is the value
            as ``console.log`` writes it. ``None`` for an Error (and for ``throw null``).
        has_thrown: The script threw a non-Error value (``thrown`` holds it).
    """

    def __init__(
        self,
        name: str,
        message: str,
        stack: str = "",
        line: Optional[int] = None,
        column: Optional[int] = None,
        source_line: str = "",
        console: Sequence[ConsoleLine] = (),
        thrown: Any = None,
        has_thrown: bool = False,
    ) -> None:
        super().__init__(message, None)
        self.name: str = name
        self.thrown: Any = thrown
        self.has_thrown: bool = has_thrown
        self.stack: str = stack
        self.line: Optional[int] = line or None  # the daemon's 0 means unknown
        self.column: Optional[int] = column or None
        self.source_line: str = source_line
        self.console: List[ConsoleLine] = list(console)

    def __str__(self) -> str:
        if self.stack:
            return self.stack
        return f"{self.name}: {self.message}" if self.name else self.message

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(name={self.name!r}, message={self.message!r}, "
            f"line={self.line}, column={self.column})"
        )

    def __reduce__(self) -> Any:
        return (
            type(self),
            (self.name, self.message, self.stack, self.line, self.column, self.source_line,
             self.console, self.thrown, self.has_thrown),
        )


class JsSyntaxError(JsError):
    """The source (or one of its modules) does not compile: a JS ``SyntaxError``."""


def js_error(
    name: str,
    message: str,
    stack: str = "",
    line: Optional[int] = None,
    column: Optional[int] = None,
    source_line: str = "",
    console: Sequence[ConsoleLine] = (),
    thrown: Any = None,
    has_thrown: bool = False,
) -> JsError:
    """The :class:`JsError` for a JS error: a :class:`JsSyntaxError` for a ``SyntaxError``."""
    cls = JsSyntaxError if name == "SyntaxError" else JsError
    return cls(name, message, stack, line, column, source_line, console, thrown, has_thrown)


class Hooked(Error):
    """The script stopped itself and handed back a value (``$terminate(v)``).

    Attributes:
        data: The handed-back value, as a Python value.
        console: Console output of the script up to that point.
    """

    def __init__(self, data: Any, console: Sequence[ConsoleLine] = ()) -> None:
        super().__init__("the script terminated itself and handed back data", None)
        self.data: Any = data
        self.console: List[ConsoleLine] = list(console)

    def __reduce__(self) -> Any:
        return (Hooked, (self.data, self.console))


_BY_CODE: Dict[grpc.StatusCode, Type[Error]] = {
    grpc.StatusCode.DEADLINE_EXCEEDED: Timeout,
    grpc.StatusCode.RESOURCE_EXHAUSTED: ResourceExhausted,
    grpc.StatusCode.UNAVAILABLE: Unavailable,
    grpc.StatusCode.NOT_FOUND: NotFound,
    grpc.StatusCode.INVALID_ARGUMENT: InvalidArgument,
}

_CODE_BY_INT: Dict[int, grpc.StatusCode] = {c.value[0]: c for c in grpc.StatusCode}


def status_code_from_int(code: int) -> grpc.StatusCode:
    """The ``grpc.StatusCode`` of a numeric code (``UNKNOWN`` for numbers gRPC lacks)."""
    return _CODE_BY_INT.get(code, grpc.StatusCode.UNKNOWN)


ERROR_DETAIL_KEY = "jscore-error-detail-bin"
"""Trailing metadata key of the serialized ``jscore.v1.ErrorDetail``."""


def error_for_status(
    code: grpc.StatusCode, message: str, detail: Optional[pb.ErrorDetail] = None
) -> Error:
    """The exception for a non-OK status (the right subclass of :class:`Error`)."""
    return _BY_CODE.get(code, Error)(message, code, detail)


def error_from_rpc(e: grpc.RpcError) -> Error:
    """Turns a ``grpc.RpcError`` (sync or aio) into the matching :class:`Error`."""
    code_fn = getattr(e, "code", None)
    details_fn = getattr(e, "details", None)
    code = code_fn() if callable(code_fn) else None
    details = details_fn() if callable(details_fn) else None
    if not isinstance(code, grpc.StatusCode):
        code = grpc.StatusCode.UNKNOWN
    return error_for_status(code, details or str(e), _detail_of(e))


def _detail_of(e: grpc.RpcError) -> Optional[pb.ErrorDetail]:
    trailing_fn = getattr(e, "trailing_metadata", None)
    trailing = trailing_fn() if callable(trailing_fn) else None
    for key, value in trailing or ():
        if key == ERROR_DETAIL_KEY and isinstance(value, bytes):
            detail = pb.ErrorDetail()
            try:
                detail.ParseFromString(value)
            except Exception:  # a garbled detail is no detail
                return None
            return detail
    return None
