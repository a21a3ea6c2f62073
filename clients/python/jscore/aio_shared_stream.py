"""The asyncio client's shared stream: ``jscore.aio.Client(shared_stream=True)`` sends
the evaluations and calls of all its tasks as items of one long-lived ``Batch`` stream,
as :mod:`jscore.shared_stream` does for the threads of the sync client, with the same
guarantees (per-call timeouts and wait bound, unary's exceptions, a bounded window in
which a full window makes the caller wait up to its deadline, a broken stream failing
its calls and the next call opening a new one, ``close()`` failing the waiters).

Everything here runs on the client's event loop: a writer task sends the items queued
while its previous write was in flight in one message, a reader task resolves each
caller's future by item id.
"""

from __future__ import annotations

import asyncio
import collections
import itertools
from typing import TYPE_CHECKING, Any, Deque, Dict, List, Optional

import grpc
import grpc.aio

from jscore import _requests as rq
from jscore._proto import pb
from jscore.batch import PACK, pack_items, unpack
from jscore.errors import Closed, Error, error_for_status, error_from_rpc
from jscore.json_values import varint
from jscore.shared_stream import _MESSAGE_BYTES, _deadline_error

if TYPE_CHECKING:  # pragma: no cover
    from jscore.aio import Client


def _expire(future: "asyncio.Future[Any]", wait: Optional[float]) -> None:
    if not future.done():
        future.set_exception(_deadline_error(wait))

__all__ = ["AioSharedStream"]


class _Stream:
    """One Batch stream: items waiting to be written, callers' futures by item id."""

    __slots__ = ("ready", "waiters", "dead", "wake", "call", "tasks")

    def __init__(self) -> None:
        self.ready: Deque[bytes] = collections.deque()
        self.waiters: Dict[str, "asyncio.Future[pb.BatchResponse]"] = {}
        self.dead = False
        self.wake = asyncio.Event()
        self.call: Any = None
        self.tasks: List["asyncio.Task[None]"] = []


class AioSharedStream:
    """The shared Batch stream of one :class:`jscore.aio.Client` (see the module)."""

    def __init__(self, client: "Client", window: int) -> None:
        if window < 1:
            raise ValueError("shared_stream_window must be at least 1")
        self._client = client
        self._pack = min(PACK, window)
        self._slots = asyncio.Semaphore(window)
        self._stream: Optional[_Stream] = None
        self._closed = False
        self._ids = itertools.count()
        self.streams_opened = 0

    async def request(
        self, tag: bytes, payload: bytes, seconds: Optional[float]
    ) -> pb.EvaluateResponse:
        """Sends one serialized request (see :meth:`jscore.shared_stream.SharedStream.request`)
        and awaits its result."""
        wait = rq.rpc_timeout(seconds)
        loop = asyncio.get_running_loop()
        deadline = None if wait is None else loop.time() + wait
        if self._closed:
            raise Closed("the client is closed")
        if not self._slots.locked():
            await self._slots.acquire()  # free: does not wait
        else:
            try:
                await asyncio.wait_for(self._slots.acquire(), wait)
            except asyncio.TimeoutError:
                raise _deadline_error(wait) from None
        if self._closed:
            self._slots.release()
            raise Closed("the client is closed")
        stream = self._stream if self._stream is not None else self._open()
        item_id = str(next(self._ids))
        raw_id = item_id.encode()
        future: "asyncio.Future[pb.BatchResponse]" = loop.create_future()
        stream.waiters[item_id] = future
        stream.ready.append(
            b"\n" + varint(len(raw_id)) + raw_id + tag + varint(len(payload)) + payload)
        stream.wake.set()
        # The wait bound: a timer fails the future (cheaper than asyncio.wait_for); a
        # result arriving later finds it done and is dropped.
        timer = None if deadline is None else loop.call_at(deadline, _expire, future, wait)
        try:
            response = await future
        finally:
            if timer is not None:
                timer.cancel()
        if response.code:
            raise rq.batch_error(response.code, response.message)
        return response.result

    def close(self) -> None:
        """Cancels the stream; awaiting callers raise :class:`Closed`."""
        if self._closed:
            return
        self._closed = True
        stream = self._stream
        if stream is not None:
            self._end(stream, Closed("the client was closed while the request waited"))

    def _open(self) -> _Stream:
        stream = _Stream()
        client = self._client
        kwargs = dict(metadata=client.metadata, wait_for_ready=client.wait_for_ready)
        as_message = not client._owns_channel
        if as_message:
            stream.call = client.stub.Batch(**kwargs)
        else:
            stream.call = client.channel.stream_stream(
                "/jscore.v1.JsCore/Batch", request_serializer=None,
                response_deserializer=pb.BatchResponse.FromString)(**kwargs)
        stream.tasks = [asyncio.ensure_future(self._write(stream, as_message)),
                        asyncio.ensure_future(self._read(stream))]
        self._stream = stream
        self.streams_opened += 1
        return stream

    async def _write(self, stream: _Stream, as_message: bool) -> None:
        """Writes the queued items, those queued during the previous write together."""
        first = True
        ready = stream.ready
        try:
            while not stream.dead:
                if not ready:
                    stream.wake.clear()
                    await stream.wake.wait()
                    continue
                out = [ready.popleft()]
                size = len(out[0])
                while ready and len(out) < self._pack and size + len(ready[0]) <= _MESSAGE_BYTES:
                    size += len(ready[0])
                    out.append(ready.popleft())
                message = pack_items(out, first)
                first = False
                await stream.call.write(pb.BatchRequest.FromString(message) if as_message
                                        else message)
        except (grpc.RpcError, grpc.aio.UsageError):
            pass  # the stream failed: the reader reports its status

    async def _read(self, stream: _Stream) -> None:
        """Resolves each caller's future with its result until the stream ends."""
        error: Error
        try:
            while True:
                message = await stream.call.read()
                if message is grpc.aio.EOF:
                    error = error_for_status(grpc.StatusCode.UNAVAILABLE,
                                             "the shared Batch stream ended before answering")
                    break
                for response in unpack(message):
                    future = stream.waiters.pop(response.id, None)
                    if future is None:
                        continue
                    self._slots.release()
                    if not future.done():  # else its caller timed out or was cancelled
                        future.set_result(response)
        except grpc.RpcError as e:
            cause = error_from_rpc(e)
            error = error_for_status(cause.code or grpc.StatusCode.UNKNOWN,
                                     f"the shared Batch stream failed: {cause.message}",
                                     cause.detail)
        except grpc.aio.UsageError as e:  # a channel= the caller closed
            error = Closed(f"the client's channel is closed: {e}")
        if not stream.dead:
            self._end(stream, error)

    def _end(self, stream: _Stream, error: Error) -> None:
        """Marks ``stream`` dead, fails its waiting callers with ``error`` and cancels
        it; the next request opens a new stream."""
        stream.dead = True
        waiters, stream.waiters = stream.waiters, {}
        stream.ready.clear()
        for future in waiters.values():
            self._slots.release()
            if not future.done():
                future.set_exception(error)
        if self._stream is stream:
            self._stream = None
        stream.wake.set()
        stream.call.cancel()
        current = asyncio.current_task()
        for task in stream.tasks:
            if task is not current:
                task.cancel()
