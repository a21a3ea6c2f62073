"""The asyncio client's Batch: a writer task sends items within the window while the
caller reads results (same semantics as :func:`jscore.batch.run_batch`)."""

from __future__ import annotations

import asyncio
import collections
import itertools
from typing import (
    TYPE_CHECKING,
    Any,
    AsyncGenerator,
    AsyncIterable,
    AsyncIterator,
    Deque,
    Dict,
    Iterable,
    List,
    Optional,
)

import grpc
import grpc.aio

from jscore import _requests as rq
from jscore._proto import pb
from jscore.batch import BatchItem, BatchResult, _Retries, pack_items, to_batch_bytes, unpack
from jscore.errors import error_from_rpc

if TYPE_CHECKING:  # pragma: no cover
    from jscore.aio import Client

__all__ = ["run_batch"]

_FAILED_PRECONDITION = grpc.StatusCode.FAILED_PRECONDITION.value[0]


async def _aiter_items(
    items: "Iterable[BatchItem] | AsyncIterable[BatchItem]",
) -> AsyncIterator[BatchItem]:
    if isinstance(items, AsyncIterable):
        async for item in items:
            yield item
    else:
        for item in items:
            yield item


async def run_batch(
    client: Client,
    items: "Iterable[BatchItem] | AsyncIterable[BatchItem]",
    window: int,
    timeout: Optional[float],
    pack: int = 64,
) -> AsyncGenerator[BatchResult, None]:
    """The async batch: a writer task sends items within the window; this generator
    reads results. Same semantics as :func:`jscore.batch.run_batch`. Items of a plain
    iterable that fit the window go out together (at most ``pack`` a message, as wire
    bytes); an async iterable's go one a message, since the next one may wait."""
    if window < 1:
        raise ValueError("window must be at least 1")
    kwargs = dict(timeout=rq.rpc_timeout(timeout), metadata=client.metadata,
                  wait_for_ready=client.wait_for_ready)
    as_message: Any = None
    if client._owns_channel:  # bytes on the client's own channel (see jscore.Client)
        call = client.channel.stream_stream(
            "/jscore.v1.JsCore/Batch", request_serializer=None,
            response_deserializer=pb.BatchResponse.FromString)(**kwargs)
    else:
        call, as_message = client.stub.Batch(**kwargs), pb.BatchRequest.FromString
    changed = asyncio.Condition()
    state: Dict[str, Any] = {"in_flight": 0, "exhausted": False}
    seq = itertools.count()
    resend: Deque[bytes] = collections.deque()
    retries = _Retries(seq)
    failures: List[BaseException] = []
    plain = not isinstance(items, AsyncIterable)

    async def write(out: List[bytes], first: bool) -> None:
        message = pack_items(out, first)
        await call.write(message if as_message is None else as_message(message))

    async def writer() -> None:
        index = 0
        first = True
        source: Any = iter(items) if plain else _aiter_items(items).__aiter__()  # type: ignore[arg-type]
        while True:
            out: List[bytes] = []
            async with changed:
                await changed.wait_for(
                    lambda: bool(resend)
                    or (not state["exhausted"] and state["in_flight"] < window)
                    or (state["exhausted"] and state["in_flight"] == 0)
                )
                if resend:
                    out = [resend.popleft() for _ in range(min(pack, len(resend)))]
                elif state["exhausted"]:
                    break
                else:
                    take = min(window - state["in_flight"], pack) if plain else 1
                    state["in_flight"] += take
            if out:
                await write(out, first)
                first = False
                continue
            try:
                for _ in range(take):
                    item = next(source) if plain else await source.__anext__()
                    item_id, data, program = to_batch_bytes(item, index, client.timeout)
                    index += 1
                    if program is not None:
                        retries.remember(data, program, False, item_id)
                    else:
                        next(seq)
                    out.append(data)
            except (StopIteration, StopAsyncIteration):
                async with changed:
                    state["exhausted"] = True
                    state["in_flight"] -= take - len(out)
            except Exception as e:  # handed to the reading side, after the items built
                failures.append(e)
                if out:
                    await write(out, first)
                break
            if out:
                await write(out, first)
                first = False
        await call.done_writing()

    task = asyncio.ensure_future(writer())
    try:
        while True:
            try:
                message = await call.read()
            except grpc.RpcError as e:
                if failures:
                    raise failures[0] from None
                raise error_from_rpc(e) from None
            if message is grpc.aio.EOF:
                break
            for response in unpack(message):
                if retries.pending:
                    entry = retries.take(response.id)
                    if (entry is not None and response.code == _FAILED_PRECONDITION
                            and not entry[2]):
                        request, program, _, sent_at = entry
                        if retries.needs_reload(program, sent_at):
                            await program.reload()
                        retries.remember(request, program, True, response.id)
                        async with changed:
                            resend.append(request)
                            changed.notify_all()
                        continue
                async with changed:
                    state["in_flight"] -= 1
                    changed.notify_all()
                yield BatchResult(response)
        await task
    finally:
        if not task.done():
            task.cancel()
        elif not task.cancelled():
            task.exception()  # retrieved: the read side reports the stream's failure
        call.cancel()
    if failures:
        raise failures[0]

