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
from jscore.batch import BatchItem, BatchResult, _Retries, to_batch_request, unpack
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
) -> AsyncGenerator[BatchResult, None]:
    """The async batch: a writer task sends items within the window; this generator
    reads results. Same semantics as :func:`jscore.batch.run_batch`."""
    if window < 1:
        raise ValueError("window must be at least 1")
    call = client.stub.Batch(timeout=rq.rpc_timeout(timeout), metadata=client.metadata,
        wait_for_ready=client.wait_for_ready)
    changed = asyncio.Condition()
    state: Dict[str, Any] = {"in_flight": 0, "exhausted": False}
    seq = itertools.count()
    resend: Deque[pb.BatchRequest] = collections.deque()
    retries = _Retries(seq)
    failures: List[BaseException] = []

    async def writer() -> None:
        index = 0
        source = _aiter_items(items).__aiter__()
        while True:
            again: Optional[pb.BatchRequest] = None
            async with changed:
                await changed.wait_for(
                    lambda: bool(resend)
                    or (not state["exhausted"] and state["in_flight"] < window)
                    or (state["exhausted"] and state["in_flight"] == 0)
                )
                if resend:
                    again = resend.popleft()
                elif state["exhausted"]:
                    break
                else:
                    state["in_flight"] += 1
            if again is not None:
                await call.write(again)
                continue
            try:
                item = await source.__anext__()
                request, program = to_batch_request(item, index, client.timeout)
            except StopAsyncIteration:
                async with changed:
                    state["exhausted"] = True
                    state["in_flight"] -= 1
                continue
            except Exception as e:  # handed to the reading side
                failures.append(e)
                break
            if index == 0:
                request.packed_results = True  # results may come several to a message
            index += 1
            if program is not None:
                retries.remember(request, program, False)
            else:
                next(seq)
            await call.write(request)
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
                        retries.remember(request, program, True)
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

