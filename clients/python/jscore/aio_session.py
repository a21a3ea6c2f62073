"""The asyncio client's sessions: :class:`Context` and :class:`PendingContext` (what
:meth:`jscore.aio.Client.context` returns), as :mod:`jscore.session` for the sync client."""

from __future__ import annotations

import datetime as _dt
import types
from typing import TYPE_CHECKING, Any, Generator, Mapping, Optional, Sequence, Type

from jscore import _requests as rq
from jscore._proto import pb
from jscore.errors import NotFound
from jscore.shared_stream import CALL, EVALUATE

if TYPE_CHECKING:  # pragma: no cover
    from jscore.aio import Client, Program

__all__ = ["Context", "PendingContext"]


class Context:
    """A session (see :class:`jscore.Context`); its methods are coroutines."""

    def __init__(self, client: Client, id: str, worker: int = 0, replica: str = "") -> None:
        self.client = client
        self.id = id
        self.worker = worker
        self.replica = replica
        self._stub = client._stub_at(replica)
        self._closed = False

    async def compile(
        self, source: str, *, timeout: Optional[rq.Duration] = None, filename: Optional[str] = None
    ) -> None:
        """Runs ``source`` in the session for its definitions; the result is discarded."""
        rq.value_of(await self._evaluate(source, None, timeout, filename))

    async def evaluate(
        self,
        source: str,
        globals: Optional[Mapping[str, Any]] = None,
        *,
        timeout: Optional[rq.Duration] = None,
        filename: Optional[str] = None,
    ) -> Any:
        """Runs ``source`` in the session and returns its value."""
        return rq.value_of(await self._evaluate(source, globals, timeout, filename))

    async def evaluate_result(
        self,
        source: str,
        globals: Optional[Mapping[str, Any]] = None,
        *,
        timeout: Optional[rq.Duration] = None,
        filename: Optional[str] = None,
    ) -> rq.Result:
        """Like :meth:`evaluate`, but returns the whole :class:`~jscore.Result`."""
        return rq.result_of(await self._evaluate(source, globals, timeout, filename))

    async def _evaluate(
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
        return await self._send(EVALUATE, self._stub.Evaluate, request, seconds)

    async def call(self, function: str, *args: Any, timeout: Optional[rq.Duration] = None) -> Any:
        """Calls the session's ``function(*args)``."""
        return rq.value_of(await self._call(function, args, timeout))

    async def call_result(
        self, function: str, *args: Any, timeout: Optional[rq.Duration] = None
    ) -> rq.Result:
        """Like :meth:`call`, but returns the whole :class:`~jscore.Result`."""
        return rq.result_of(await self._call(function, args, timeout))

    async def _call(
        self, function: str, args: Sequence[Any], timeout: Optional[rq.Duration]
    ) -> pb.EvaluateResponse:
        seconds = self.client._timeout(timeout)
        request = rq.call_request(function, args, session=self.id, timeout=seconds)
        return await self._send(CALL, self._stub.Call, request, seconds)

    async def _send(
        self, tag: bytes, method: Any, request: Any, seconds: Optional[float]
    ) -> pb.EvaluateResponse:
        """Through the client's shared stream when it has one (see
        :meth:`jscore.Context._send`), else unary."""
        client = self.client
        if client._shared is not None:
            data = request.SerializeToString()
            if client._shares(data, session=True):
                return await client._streamed(tag, data, seconds)
        return await client._unary(method, request, seconds)

    @property
    def closed(self) -> bool:
        """:meth:`close` was called."""
        return self._closed

    async def close(self) -> None:
        """Deletes the session on the daemon. Idempotent; ``NotFound`` is ignored."""
        if self._closed:
            return
        self._closed = True
        try:
            await self.client._unary(
                self._stub.DeleteSession, pb.DeleteSessionRequest(session=self.id),
                self.client.timeout,
            )
        except NotFound:
            pass

    async def __aenter__(self) -> "Context":
        return self

    async def __aexit__(
        self,
        exc_type: Optional[Type[BaseException]],
        exc: Optional[BaseException],
        tb: Optional[types.TracebackType],
    ) -> None:
        await self.close()


class PendingContext:
    """What :meth:`Client.context` returns: await it for a :class:`Context`, or use it
    with ``async with`` to have the session deleted at the end."""

    def __init__(
        self,
        client: Client,
        program: "Program | str | None",
        random_seed: Optional[int],
        ttl: Optional[rq.Duration],
        source: Optional[str],
        extensions: bool,
        frozen_time: "Optional[_dt.datetime | float]" = None,
        browser: Optional[rq.Browser] = None,
    ) -> None:
        self._args = (program, random_seed, ttl, source, extensions, frozen_time, browser)
        self._client = client
        self._context: Optional[Context] = None

    def __await__(self) -> Generator[Any, None, Context]:
        return self._client._create_context(*self._args).__await__()

    async def __aenter__(self) -> Context:
        self._context = await self._client._create_context(*self._args)
        return self._context

    async def __aexit__(
        self,
        exc_type: Optional[Type[BaseException]],
        exc: Optional[BaseException],
        tb: Optional[types.TracebackType],
    ) -> None:
        if self._context is not None:
            await self._context.close()
