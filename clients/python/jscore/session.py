"""The synchronous session: :class:`Context`, a JS context kept on the daemon
(what :meth:`jscore.Client.context` returns)."""

from __future__ import annotations

import types
from typing import TYPE_CHECKING, Any, Mapping, Optional, Sequence, Type

from jscore import _requests as rq
from jscore._proto import pb
from jscore.errors import NotFound
from jscore.shared_stream import CALL, EVALUATE

if TYPE_CHECKING:
    from jscore.client import Client

__all__ = ["Context"]


class Context:
    """A session on the daemon: one JS context that keeps its globals between calls,
    pinned to one worker (:meth:`Client.context`).

    Use it as a context manager, or call :meth:`close`; otherwise the daemon deletes
    it after its idle TTL.

    Attributes:
        id: The session id.
        worker: The daemon worker the session lives on.
        replica: The replica that holds it (its advertised address; ``""`` if it
            names none). With several replicas, the session's requests go there.
    """

    def __init__(self, client: Client, id: str, worker: int = 0, replica: str = "") -> None:
        self.client = client
        self.id = id
        self.worker = worker
        self.replica = replica
        self._stub = client._stub_at(replica)
        self._closed = False

    def compile(
        self, source: str, *, timeout: Optional[rq.Duration] = None, filename: Optional[str] = None
    ) -> None:
        """Runs ``source`` in the session for its definitions; the result is discarded."""
        rq.value_of(self._evaluate(source, None, timeout, filename))

    def evaluate(
        self,
        source: str,
        globals: Optional[Mapping[str, Any]] = None,
        *,
        timeout: Optional[rq.Duration] = None,
        filename: Optional[str] = None,
    ) -> Any:
        """Runs ``source`` in the session and returns its value (``var``/``function``
        declarations and ``globals`` stay in the session)."""
        return rq.value_of(self._evaluate(source, globals, timeout, filename))

    def evaluate_result(
        self,
        source: str,
        globals: Optional[Mapping[str, Any]] = None,
        *,
        timeout: Optional[rq.Duration] = None,
        filename: Optional[str] = None,
    ) -> rq.Result:
        """Like :meth:`evaluate`, but returns the whole :class:`~jscore.Result`."""
        return rq.result_of(self._evaluate(source, globals, timeout, filename))

    def _evaluate(
        self,
        source: str,
        globals: Optional[Mapping[str, Any]],
        timeout: Optional[rq.Duration],
        filename: Optional[str],
    ) -> pb.EvaluateResponse:
        seconds = self.client._timeout(timeout)
        request = rq.evaluate_request(
            source, globals, timeout=seconds, filename=filename, session=self.id
        )
        return self._send(EVALUATE, self._stub.Evaluate, request, seconds)

    def call(self, function: str, *args: Any, timeout: Optional[rq.Duration] = None) -> Any:
        """Calls the session's ``function(*args)`` (a dotted path); awaits a promise."""
        return rq.value_of(self._call(function, args, timeout))

    def call_result(
        self, function: str, *args: Any, timeout: Optional[rq.Duration] = None
    ) -> rq.Result:
        """Like :meth:`call`, but returns the whole :class:`~jscore.Result`."""
        return rq.result_of(self._call(function, args, timeout))

    def _call(
        self, function: str, args: Sequence[Any], timeout: Optional[rq.Duration]
    ) -> pb.EvaluateResponse:
        seconds = self.client._timeout(timeout)
        request = rq.call_request(function, args, session=self.id, timeout=seconds)
        return self._send(CALL, self._stub.Call, request, seconds)

    def _send(
        self, tag: bytes, method: Any, request: Any, seconds: Optional[float]
    ) -> pb.EvaluateResponse:
        """Through the client's shared stream when it has one (and may use it for this
        session), else unary."""
        client = self.client
        if client._shared is not None:
            data = request.SerializeToString()
            if client._shares(data, session=True):
                return client._streamed(tag, data, seconds)
        return client._unary(method, request, seconds)

    @property
    def closed(self) -> bool:
        """:meth:`close` was called."""
        return self._closed

    def close(self) -> None:
        """Deletes the session on the daemon. Idempotent; a session the daemon already
        dropped (TTL, isolate replaced) is not an error here."""
        if self._closed:
            return
        self._closed = True
        try:
            self.client._unary(
                self._stub.DeleteSession, pb.DeleteSessionRequest(session=self.id),
                self.client.timeout,
            )
        except NotFound:
            pass

    def __enter__(self) -> "Context":
        return self

    def __exit__(
        self,
        exc_type: Optional[Type[BaseException]],
        exc: Optional[BaseException],
        tb: Optional[types.TracebackType],
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"jscore.Context({self.id!r}, worker={self.worker})"
