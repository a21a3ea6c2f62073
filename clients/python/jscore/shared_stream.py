"""Evaluations and calls from many threads over one shared ``Batch`` stream.

What :class:`jscore.Client` does with ``shared_stream=True``: instead of one unary RPC
per :meth:`~jscore.Client.evaluate` or :meth:`~jscore.Program.call`, every thread's
request becomes one item of a long-lived ``Batch`` stream that the client holds open.
The requests ready together go out in one message (``BatchRequest.more``), the
results come back packed (``packed_results``), and a reader thread hands each result
to the thread that waits for it, matched by the item's id. gRPC's per-call cost (a
call object, its deadline, its completion queue, under the GIL) is then paid once per
message instead of once per call.

What holds:

- Each request keeps its own timeout (the item's ``timeout`` field, which the daemon
  enforces) and waits at most as long as a unary call would (the timeout plus a
  margin, :func:`jscore._requests.rpc_timeout`); past that it raises the same
  :class:`~jscore.Timeout` a unary call raises, and its late result is dropped.
- Errors are the unary ones: an item's status becomes the exception of its code
  (``NotFound``, ``ResourceExhausted``, ``InvalidArgument``...), with the daemon's
  message; a JS error is a :class:`~jscore.JsError`. Batch items carry no
  ``ErrorDetail``, so ``Error.detail`` is ``None`` on them.
- At most ``window`` requests are in flight; a thread that finds the window full
  blocks until a result frees a slot, or raises :class:`~jscore.Timeout` when its
  wait bound passes first. No queue grows without bound.
- If the stream breaks (daemon gone, stream refused), the requests in flight on it
  fail with an error of the stream's status code whose message says the shared
  stream failed; the next request opens a new stream. Closing the client cancels the
  stream and fails the waiting requests with :class:`~jscore.Closed`.
- Requests larger than :data:`MAX_ITEM_BYTES` do not use the stream (the caller
  sends them unary), so one oversized request cannot end the stream for the others.

Thread ownership: the lock guards every field below; gRPC's request thread runs
:meth:`SharedStream._requests` (the sender), a thread of ours runs
:meth:`SharedStream._read` (the reader), callers run :meth:`SharedStream.request`.
"""

from __future__ import annotations

import _thread
import collections
import itertools
import threading
import time
from typing import TYPE_CHECKING, Any, Deque, Dict, Iterator, List, Optional

import grpc

from jscore import _connection as conn
from jscore import _requests as rq
from jscore._proto import pb
from jscore.batch import PACK, pack_items, unpack
from jscore.errors import Closed, Error, Timeout, error_for_status, error_from_rpc
from jscore.json_values import varint

if TYPE_CHECKING:  # pragma: no cover
    from jscore.client import Client

__all__ = ["CALL", "EVALUATE", "MAX_ITEM_BYTES", "SharedStream"]

EVALUATE = b"\x12"  # BatchRequest.evaluate: field 2, length-delimited
CALL = b"\x1a"  # BatchRequest.call: field 3, length-delimited

MAX_ITEM_BYTES = 4 << 20
"""Requests larger than this (serialized) go unary rather than through the stream."""

# With at least _LINGER_FROM requests queued or unanswered, the sender waits up to
# _LINGER seconds for the callers whose results are on their way to queue their next
# items: from 8 threads that cut messages per call by 3× and client CPU per call by
# 2×; with fewer, the wait costs more latency than it saves.
_LINGER = 0.001
_LINGER_FROM = 4
_MESSAGE_BYTES = 1 << 20  # items are packed into one message up to about this size


class _Waiter:
    """One request's rendezvous: ``lock`` is held until the reader (or a failure)
    fills ``response`` or ``error`` and releases it."""

    __slots__ = ("lock", "response", "error")

    def __init__(self) -> None:
        self.lock = _thread.allocate_lock()
        self.lock.acquire()
        self.response: Optional[pb.BatchResponse] = None
        self.error: Optional[Error] = None


class _Stream:
    """One Batch stream: the items waiting to be sent and the requests waiting for
    their results (by item id). ``dead`` once it broke or was closed."""

    __slots__ = ("ready", "waiters", "dead", "sender_waits", "wake_at", "call")

    def __init__(self) -> None:
        self.ready: Deque[bytes] = collections.deque()
        self.waiters: Dict[str, _Waiter] = {}
        self.dead = False
        self.sender_waits = False
        self.wake_at = 1  # the sender wants waking when this many items are ready
        self.call: Any = None


class SharedStream:
    """The shared Batch stream of one :class:`jscore.Client` (see the module)."""

    def __init__(self, client: "Client", window: int) -> None:
        if window < 1:
            raise ValueError("shared_stream_window must be at least 1")
        self._client = client
        self._window = window
        self._pack = min(PACK, window)
        self._lock = threading.Lock()
        self._send = threading.Condition(self._lock)  # the sender waits for items
        self._space = threading.Condition(self._lock)  # callers wait for a free slot
        self._space_waiters = 0
        self._in_flight = 0  # requests sent or queued and not answered, all streams
        self._stream: Optional[_Stream] = None
        self._closed = False
        self._ids = itertools.count()
        self.streams_opened = 0
        """How many streams this client opened (1 unless one broke)."""

    # -- callers ----------------------------------------------------------------------

    def request(self, tag: bytes, payload: bytes, seconds: Optional[float]) -> pb.EvaluateResponse:
        """Sends one serialized ``EvaluateRequest`` (``tag`` :data:`EVALUATE`) or
        ``CallRequest`` (:data:`CALL`) through the stream and waits for its result.

        Raises:
            Error: the item's status, the stream's failure, or :class:`Timeout` when no
                result came within the wait bound; :class:`Closed` after ``close``.
        """
        wait = rq.rpc_timeout(seconds)
        deadline = None if wait is None else time.monotonic() + wait
        item_id = str(next(self._ids))
        raw_id = item_id.encode()
        data = b"\n" + varint(len(raw_id)) + raw_id + tag + varint(len(payload)) + payload
        waiter = _Waiter()
        with self._lock:
            self._take_slot(deadline, wait)
            stream = self._stream
            if stream is None:
                try:
                    stream = self._open()
                except BaseException as e:
                    self._in_flight -= 1
                    if isinstance(e, ValueError) and "closed channel" in str(e):
                        raise Closed(f"the client's channel is closed: {e}") from None
                    raise
            stream.waiters[item_id] = waiter
            stream.ready.append(data)
            if stream.sender_waits and len(stream.ready) >= stream.wake_at:
                self._send.notify()
        if deadline is None:
            waiter.lock.acquire()
        elif not waiter.lock.acquire(timeout=max(deadline - time.monotonic(), 0.0)):
            with self._lock:
                if waiter.response is None and waiter.error is None:
                    # The slot stays taken until the daemon answers (at the item's own
                    # timeout at the latest) or the stream ends: the window bounds
                    # the daemon's work too.
                    raise _deadline_error(wait)
        if waiter.error is not None:
            raise waiter.error
        response = waiter.response
        assert response is not None
        if response.code:
            raise rq.batch_error(response.code, response.message)
        return response.result

    def _take_slot(self, deadline: Optional[float], wait: Optional[float]) -> None:
        """Takes one in-flight slot, waiting while the window is full (lock held)."""
        while True:
            if self._closed:
                raise Closed("the client is closed")
            if self._in_flight < self._window:
                self._in_flight += 1
                return
            remaining = None if deadline is None else deadline - time.monotonic()
            if remaining is not None and remaining <= 0:
                raise _deadline_error(wait)
            self._space_waiters += 1
            try:
                self._space.wait(remaining)
            finally:
                self._space_waiters -= 1

    def close(self) -> None:
        """Cancels the stream; requests waiting for results raise :class:`Closed`."""
        with self._lock:
            if self._closed:
                return
            self._closed = True
            stream = self._stream
            if stream is not None:
                self._end(stream, Closed("the client was closed while the request waited"))
            self._space.notify_all()
        if stream is not None and stream.call is not None:
            stream.call.cancel()

    # -- the stream -------------------------------------------------------------------

    def _open(self) -> _Stream:
        """Opens a new stream (lock held): gRPC's thread starts consuming its requests,
        a reader thread of ours its results."""
        stream = _Stream()
        client = self._client
        raw = client._raw_batch
        method = raw if raw is not None else client.stub.Batch
        stream.call = method(self._requests(stream, raw is None), metadata=client.metadata,
                             wait_for_ready=client.wait_for_ready)
        self._stream = stream
        self.streams_opened += 1
        threading.Thread(target=self._read, args=(stream,), name="jscore-shared-stream",
                         daemon=True).start()
        return stream

    def _requests(self, stream: _Stream, as_message: bool) -> Iterator[Any]:
        """The stream's messages (on gRPC's request thread): every item ready at once,
        up to the pack size and about 1 MiB, in one message. Ends with the stream."""
        first = True
        while True:
            with self._lock:
                while not stream.ready and not stream.dead:
                    stream.sender_waits = True
                    self._send.wait(1.0)
                    stream.sender_waits = False
                if not stream.dead:
                    self._linger(stream)
                if stream.dead:
                    return
                out: List[bytes] = [stream.ready.popleft()]
                size = len(out[0])
                ready = stream.ready
                while ready and len(out) < self._pack and size + len(ready[0]) <= _MESSAGE_BYTES:
                    size += len(ready[0])
                    out.append(ready.popleft())
            message = pack_items(out, first)
            first = False
            yield pb.BatchRequest.FromString(message) if as_message else message

    def _linger(self, stream: _Stream) -> None:
        """Waits briefly for the callers whose results are on their way to queue their
        next items, so that they share this message (lock held)."""
        ready = len(stream.ready)
        want = min(self._pack, len(stream.waiters))  # the queued and the unanswered
        if ready >= want or want < _LINGER_FROM:
            return
        stream.wake_at = want
        stream.sender_waits = True
        self._send.wait(_LINGER)
        stream.sender_waits = False
        stream.wake_at = 1

    def _read(self, stream: _Stream) -> None:
        """Hands each result to its waiter (on the reader thread) until the stream ends."""
        error: Error
        try:
            for message in stream.call:
                responses = unpack(message)
                answered: List[_Waiter] = []
                with self._lock:
                    for response in responses:
                        waiter = stream.waiters.pop(response.id, None)
                        if waiter is None:
                            continue  # already failed (the stream was being closed)
                        waiter.response = response
                        answered.append(waiter)
                    self._in_flight -= len(answered)
                    if self._space_waiters:
                        self._space.notify(len(answered))
                # Woken outside the lock: a caller back with its next request at once
                # does not wait for the reader to let go of it.
                for waiter in answered:
                    waiter.lock.release()
            error = error_for_status(grpc.StatusCode.UNAVAILABLE,
                                     "the shared Batch stream ended before answering")
        except grpc.RpcError as e:
            cause = error_from_rpc(e)
            error = error_for_status(cause.code or grpc.StatusCode.UNKNOWN,
                                     f"the shared Batch stream failed: {cause.message}",
                                     cause.detail)
        except ValueError as e:  # a channel= the caller closed
            error = Closed(f"the client's channel is closed: {e}")
        with self._lock:
            if not stream.dead:
                self._end(stream, error)

    def _end(self, stream: _Stream, error: Error) -> None:
        """Marks ``stream`` dead and fails its waiting requests with ``error`` (lock
        held); the next request opens a new stream."""
        stream.dead = True
        waiters, stream.waiters = stream.waiters, {}
        stream.ready.clear()
        for waiter in waiters.values():
            waiter.error = error
            waiter.lock.release()
        self._in_flight -= len(waiters)
        if self._stream is stream:
            self._stream = None
        self._send.notify_all()
        self._space.notify_all()


def _deadline_error(wait: Optional[float]) -> Error:
    """The :class:`Timeout` a unary call raises when its gRPC deadline passes."""
    return conn.name_client_deadline(
        Timeout("Deadline Exceeded", grpc.StatusCode.DEADLINE_EXCEEDED), wait)
