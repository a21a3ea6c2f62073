"""Batch: many evaluations and calls through one ``Batch`` stream.

Items are :class:`Eval`, :class:`CallItem` or plain dicts (``{"source": ...}`` or
``{"function": ..., "args": [...], "program": ...}``). Results come back in completion
order as :class:`BatchResult`, each with the ``id`` of its item (by default the item's
index as a string). The client keeps at most ``window`` items in flight beyond the
results it received; the daemon has its own bound (``--batch_window``).

A call item whose program the daemon does not hold (``FAILED_PRECONDITION``) is
retried once after the :class:`~jscore.Program` is re-sent, when the item names the
program by its ``Program`` object (a bare id cannot be re-sent).
"""

from __future__ import annotations

import collections
import itertools
import threading
from typing import (
    TYPE_CHECKING,
    Any,
    Deque,
    Dict,
    Generator,
    Iterable,
    Iterator,
    List,
    Mapping,
    Optional,
    Tuple,
    Union,
)

import grpc

from jscore import _requests as rq
from jscore import json_values
from jscore._proto import pb
from jscore.errors import ConsoleLine, Error, error_from_rpc
from jscore.json_values import varint

if TYPE_CHECKING:  # pragma: no cover
    from jscore.client import Client

__all__ = [
    "PACK", "BatchItem", "BatchResult", "CallItem", "Eval", "pack_items", "to_batch_bytes",
    "to_batch_request", "unpack",
]

_FAILED_PRECONDITION = grpc.StatusCode.FAILED_PRECONDITION.value[0]


class Eval:
    """A batch item that evaluates ``source`` (in a fresh context, or in ``session``).

    Args:
        source: The script.
        globals: Injected as global variables (see :mod:`jscore.values`).
        id: Echoed on the result; defaults to the item's index as a string.
        timeout: Seconds; defaults to the client's timeout.
        session: A :class:`~jscore.Context` (or its id) to run in.
        filename: Shown in stack traces.
        extensions: ``False`` for bare ECMAScript (no timers, no console).
        type, modules: CommonJS or an ES module graph over these files, as for
            :meth:`jscore.Client.evaluate` (fresh evaluations only).
    """

    __slots__ = ("source", "globals", "id", "timeout", "session", "filename", "extensions",
                 "type", "modules")

    def __init__(
        self,
        source: str,
        globals: Optional[Mapping[str, Any]] = None,
        id: Optional[str] = None,
        timeout: Optional[rq.Duration] = None,
        *,
        session: Any = None,
        filename: Optional[str] = None,
        extensions: bool = True,
        type: Optional[rq.SourceType] = None,
        modules: Optional[Mapping[str, str]] = None,
    ) -> None:
        self.source = source
        self.globals = globals
        self.id = id
        self.timeout = timeout
        self.session = session
        self.filename = filename
        self.extensions = extensions
        self.type = type
        self.modules = modules

    def __repr__(self) -> str:
        return f"Eval({self.source!r}, id={self.id!r})"


class CallItem:
    """A batch item that calls ``function(*args)`` of a program or of a session.

    Args:
        function: Dotted path from a top-level binding or export (``"sign"``, ``"lib.f"``).
        *args: The arguments (see :mod:`jscore.values`).
        program: A :class:`~jscore.Program` (retried once if the daemon lost it) or
            a program id.
        session: A :class:`~jscore.Context` or a session id.
        id: Echoed on the result; defaults to the item's index as a string.
        timeout: Seconds; defaults to the client's timeout.
        fresh: Run in a fresh copy of the program's context.
    """

    __slots__ = ("function", "args", "program", "session", "id", "timeout", "fresh")

    def __init__(
        self,
        function: str,
        *args: Any,
        program: Any = None,
        session: Any = None,
        id: Optional[str] = None,
        timeout: Optional[rq.Duration] = None,
        fresh: bool = False,
    ) -> None:
        if (program is None) == (session is None):
            raise ValueError("a CallItem names exactly one of program= or session=")
        self.function = function
        self.args = args
        self.program = program
        self.session = session
        self.id = id
        self.timeout = timeout
        self.fresh = fresh

    def __repr__(self) -> str:
        return f"CallItem({self.function!r}, *{self.args!r}, id={self.id!r})"


BatchItem = Union[Eval, CallItem, Mapping[str, Any]]


def _id_of(target: Any) -> Optional[str]:
    if target is None or isinstance(target, str):
        return target
    return str(target.id)


def to_batch_request(
    item: BatchItem, index: int, default_timeout: Optional[float]
) -> Tuple[pb.BatchRequest, Any]:
    """The ``BatchRequest`` of one item, and the Program object to re-send if any."""
    item = _as_item(item, index)
    item_id = str(index) if item.id is None else str(item.id)
    timeout = rq.seconds(item.timeout)
    if timeout is None:
        timeout = default_timeout
    if isinstance(item, Eval):
        request = pb.BatchRequest(
            id=item_id,
            evaluate=rq.evaluate_request(
                item.source,
                item.globals,
                timeout=timeout,
                filename=item.filename,
                session=_id_of(item.session),
                extensions=item.extensions,
                type=item.type,
                modules=item.modules,
            ),
        )
        return request, None
    request = pb.BatchRequest(
        id=item_id,
        call=rq.call_request(
            item.function,
            item.args,
            program=_id_of(item.program),
            session=_id_of(item.session),
            timeout=timeout,
            fresh=item.fresh,
        ),
    )
    program = item.program if not isinstance(item.program, (str, type(None))) else None
    return request, program


def to_batch_bytes(
    item: BatchItem, index: int, default_timeout: Optional[float]
) -> Tuple[str, bytes, Any]:
    """``(id, serialized BatchRequest, Program to re-send or None)`` of one item: what
    :func:`to_batch_request` serializes to. A program's call item is written straight
    to bytes (its request template plus the arguments), with no message built."""
    item = _as_item(item, index)
    if not isinstance(item, CallItem) or item.session is not None:
        request, program = to_batch_request(item, index, default_timeout)
        return request.id, request.SerializeToString(), program
    item_id = str(index) if item.id is None else str(item.id)
    timeout = rq.seconds(item.timeout)
    if timeout is None:
        timeout = default_timeout
    target = item.program
    if isinstance(target, str):
        prefix, program = rq.call_prefix(item.function, target, timeout, item.fresh), None
    elif hasattr(target, "_prefix"):  # a jscore.Program: its templates are cached
        prefix, program = target._prefix(item.function, timeout, item.fresh), target
    else:
        prefix, program = rq.call_prefix(item.function, str(target.id), timeout, item.fresh), target
    call = prefix + rq.args_json_field(item.args)
    raw_id = item_id.encode()
    data = b"\n" + varint(len(raw_id)) + raw_id + b"\x1a" + varint(len(call)) + call
    return item_id, data, program


def _as_item(item: BatchItem, index: int) -> Union[Eval, CallItem]:
    """``item`` as an :class:`Eval` or :class:`CallItem` (a dict item converted)."""
    if isinstance(item, Mapping):
        fields = dict(item)
        if "source" in fields:
            item = Eval(**fields)
        elif "function" in fields:
            item = CallItem(fields.pop("function"), *fields.pop("args", ()), **fields)
        else:
            raise ValueError(f"batch item {index}: a dict item needs 'source' or 'function'")
    if not isinstance(item, (Eval, CallItem)):
        raise TypeError(
            f"batch item {index}: expected Eval, CallItem or dict, got {type(item).__name__}"
        )
    return item


class BatchResult:
    """The outcome of one batch item.

    Attributes:
        id: The item's id.
        code: 0 when the item ran (``value`` or a ``JsError``), else the gRPC code of
            why it failed (see ``message``).
        message: Why the item failed, when ``code`` is not 0.
        response: The raw ``BatchResponse``.
    """

    __slots__ = ("id", "code", "message", "response", "_error", "_decoded")

    def __init__(self, response: pb.BatchResponse) -> None:
        self.response = response
        self.id: str = response.id
        self.code: int = response.code
        self.message: str = response.message
        self._error: Optional[Error] = None
        self._decoded = False

    @property
    def error(self) -> Optional[Error]:
        """The item's exception (``JsError``, ``Timeout``...), or ``None`` if it has a value."""
        if not self._decoded:
            self._decoded = True
            if self.code != 0:
                self._error = rq.batch_error(self.code, self.message)
            else:
                self._error = rq.error_of(self.response.result)
        return self._error

    @property
    def ok(self) -> bool:
        """The item produced a value."""
        return self.error is None

    @property
    def value(self) -> Any:
        """The item's value; raises the item's error if it has none."""
        if self.code == 0:  # the common case: a JSON value, read without the error path
            result = self.response.result
            if result.WhichOneof("result") == "value_json":
                return json_values.decode(result.value_json)
        error = self.error
        if error is not None:
            raise error
        return rq.decoded_value(self.response.result)

    @property
    def result(self) -> rq.Result:
        """The item's full :class:`~jscore.Result`; raises the item's error if it has none."""
        error = self.error
        if error is not None:
            raise error
        return rq.Result(self.response.result)

    @property
    def console(self) -> List[ConsoleLine]:
        """Console output of the item (empty if it failed before running)."""
        return rq.console_of(self.response.result)

    def __repr__(self) -> str:
        if self.ok:
            return f"BatchResult(id={self.id!r}, value={self.value!r})"
        return f"BatchResult(id={self.id!r}, error={self.error!r})"


class _Retries:
    """Items that may be re-sent once after their program is re-loaded, by id.

    Items and reloads are numbered from one sequence, so that one reload serves every
    item sent before it: an item sent before the last reload of its program is just
    re-sent.
    """

    def __init__(self, seq: "Iterator[int]") -> None:
        self.pending: Dict[str, Deque[Tuple[Any, Any, bool, int]]] = {}
        self._reloaded_at: Dict[int, int] = {}  # id(program) -> sequence number of its reload
        self._seq = seq

    def remember(
        self, request: Any, program: Any, retried: bool, item_id: Optional[str] = None
    ) -> None:
        """Notes an item about to be sent (``retried``: this is its second try); a
        request that is not a message (its bytes) comes with its ``item_id``."""
        key = request.id if item_id is None else item_id
        self.pending.setdefault(key, collections.deque()).append(
            (request, program, retried, next(self._seq))
        )

    def take(self, item_id: str) -> Optional[Tuple[Any, Any, bool, int]]:
        """The oldest remembered item with this id, forgotten."""
        queue = self.pending.get(item_id)
        if not queue:
            return None
        entry = queue.popleft()
        if not queue:
            del self.pending[item_id]
        return entry

    def needs_reload(self, program: Any, sent_at: int) -> bool:
        """Whether ``program`` must be re-sent for an item sent at ``sent_at`` (and if
        so, records that it is being re-sent now)."""
        if self._reloaded_at.get(id(program), -1) > sent_at:
            return False
        self._reloaded_at[id(program)] = next(self._seq)
        return True


def unpack(response: pb.BatchResponse) -> List[pb.BatchResponse]:
    """The results one message carries: itself, and the ones packed in ``more`` (the
    client asks for packed results on its first message, ``packed_results``)."""
    return [response, *response.more] if response.more else [response]


PACK = 64
"""Most items the client puts in one ``BatchRequest`` message (``BatchRequest.more``):
items ready together share a message. The daemon refuses a message with more than its
``--batch_window`` items (256 by default), so a daemon run with a smaller window needs
``pack=`` at most that."""


_MORE_TAG = b'"'  # BatchRequest.more: field 4, length-delimited ((4 << 3) | 2)
_PACKED_RESULTS = b"(\x01"  # BatchRequest.packed_results = true: field 5, varint


def pack_items(requests: List[bytes], first: bool) -> bytes:
    """One serialized ``BatchRequest`` carrying the serialized ``requests``: the first
    one, and the rest in ``more``; ``first`` (the stream's first message) asks for
    packed results too."""
    parts = [requests[0]]
    if first:
        parts.append(_PACKED_RESULTS)
    for request in requests[1:]:
        parts += (_MORE_TAG, varint(len(request)), request)
    return b"".join(parts)


def run_batch(
    client: "Client",
    items: Iterable[BatchItem],
    window: int,
    timeout: Optional[float],
    pack: int = PACK,
) -> Generator[BatchResult, None, None]:
    """The sync client's batch (see :meth:`jscore.Client.batch`).

    Three threads cooperate: a producer thread pulls items (at most ``window`` beyond
    the results received) and turns them into requests; gRPC's request thread sends
    every request ready at once in one message (at most ``pack``); the caller's thread
    reads results. A source that blocks in ``next()`` never holds back the requests
    already built. An item that cannot be turned into a request ends the stream:
    results already in flight are yielded, then its exception is raised.
    """
    if window < 1:
        raise ValueError("window must be at least 1")
    if pack < 1:
        raise ValueError("pack must be at least 1")
    cond = threading.Condition()
    # wake_at: the producer sleeps until in_flight falls to it (-1: not asleep). It
    # resumes at a low-water mark rather than at every result, so that it wakes once
    # per burst of items instead of once per item. in_flight counts the items taken
    # from the source and not answered yet.
    state = {"in_flight": 0, "closed": False, "wake_at": -1, "produced": False,
             "sender_waits": False}
    low_water = window - max(1, window // 4)
    seq = itertools.count()  # send order, for "reloaded since this item was sent?"
    resend: Deque[bytes] = collections.deque()
    ready: Deque[bytes] = collections.deque()
    retries = _Retries(seq)
    failures: List[BaseException] = []
    default_timeout = client.timeout

    def produce() -> None:
        source = iter(items)
        index = 0
        try:
            while True:
                with cond:
                    while not state["closed"] and state["in_flight"] >= window:
                        state["wake_at"] = low_water
                        cond.wait(0.5)
                        state["wake_at"] = -1
                    if state["closed"]:
                        return
                    state["in_flight"] += 1
                try:
                    item_id, data, program = to_batch_bytes(next(source), index, default_timeout)
                except StopIteration:
                    with cond:
                        state["in_flight"] -= 1
                    return
                index += 1
                with cond:
                    if program is not None:
                        retries.remember(data, program, False, item_id)
                    else:
                        next(seq)
                    ready.append(data)
                    if state["sender_waits"]:
                        cond.notify_all()
        except Exception as e:  # handed to the reading side; the stream ends after `ready`
            with cond:
                failures.append(e)
                state["in_flight"] -= 1
        finally:
            with cond:
                state["produced"] = True
                cond.notify_all()

    # The messages go out as bytes on the client's own channel; a caller's channel
    # (interceptors may expect messages) gets them parsed.
    raw = client._raw_batch
    as_message = None if raw is not None else pb.BatchRequest.FromString

    def requests() -> Iterator[Any]:
        # Runs on gRPC's request-consuming thread; returning half-closes the stream.
        first = True
        while True:
            with cond:
                while True:
                    if state["closed"]:
                        return
                    if resend or ready:
                        out = [resend.popleft() for _ in range(min(pack, len(resend)))]
                        while ready and len(out) < pack:
                            out.append(ready.popleft())
                        break
                    if state["produced"] and (failures or state["in_flight"] == 0):
                        return  # every result is in (or an item failed), no retry pending
                    state["sender_waits"] = True
                    cond.wait(0.5)
                    state["sender_waits"] = False
            message = pack_items(out, first)
            yield message if as_message is None else as_message(message)
            first = False

    call = (raw or client.stub.Batch)(
        requests(), timeout=rq.rpc_timeout(timeout), metadata=client.metadata,
        wait_for_ready=client.wait_for_ready
    )
    producer = threading.Thread(target=produce, name="jscore-batch-items", daemon=True)
    producer.start()
    try:
        for message in call:
            for response in unpack(message):
                if retries.pending:
                    with cond:
                        entry = retries.take(response.id)
                    if (entry is not None and response.code == _FAILED_PRECONDITION
                            and not entry[2]):
                        _retry(response.id, entry, retries, resend, cond)
                        continue  # the item's slot stays taken by its retry
                with cond:
                    state["in_flight"] -= 1
                    if state["in_flight"] <= state["wake_at"] or (
                            state["in_flight"] == 0 and state["sender_waits"]):
                        cond.notify_all()
                yield BatchResult(response)
    except grpc.RpcError as e:
        if failures:
            raise failures[0] from None
        raise error_from_rpc(e) from None
    finally:
        with cond:
            state["closed"] = True
            cond.notify_all()
        call.cancel()
    if failures:
        raise failures[0]


def _retry(
    item_id: str,
    entry: Tuple[bytes, Any, bool, int],
    retries: _Retries,
    resend: Deque[bytes],
    cond: threading.Condition,
) -> None:
    """Re-sends the program of a failed item (unless done since it was sent), then the item."""
    request, program, _, sent_at = entry
    if retries.needs_reload(program, sent_at):
        program.reload()
    with cond:
        retries.remember(request, program, True, item_id)
        resend.append(request)
        cond.notify_all()
