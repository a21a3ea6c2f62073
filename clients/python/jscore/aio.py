"""The asyncio client: the API of :mod:`jscore.client` with async/await (``grpc.aio``).

Example::

    import jscore.aio

    async def main() -> None:
        async with jscore.aio.Client("127.0.0.1:50051") as client:
            await client.evaluate("1 + 2")                              # 3
            prog = await client.load_program("function f(x) { return x + 1 }")
            await prog.call("f", 1)                                     # 2
            async with client.context() as ctx:
                await ctx.compile("var n = 0; function inc() { return ++n }")
                await ctx.call("inc")                                   # 1
            async for r in client.batch(jscore.Eval(f"{i}") for i in range(100)):
                print(r.id, r.value)

Create the client inside the event loop that uses it.
"""

from __future__ import annotations

import datetime as _dt
import types
from typing import (
    Any,
    AsyncGenerator,
    AsyncIterable,
    Dict,
    Iterable,
    Mapping,
    Optional,
    Sequence,
    Tuple,
    Type,
)

import grpc
import grpc.aio

from jscore import _connection as conn
from jscore import _requests as rq
from jscore._proto import health_pb2, health_pb2_grpc, pb, pb_grpc
from jscore.aio_batch import run_batch
from jscore.aio_session import Context, PendingContext
from jscore.aio_shared_stream import AioSharedStream
from jscore.shared_stream import CALL, EVALUATE, MAX_ITEM_BYTES
from jscore.batch import BatchItem, BatchResult
from jscore.errors import Closed, Error, NotFound, error_from_rpc

__all__ = ["Client", "Context", "PendingContext", "Program"]

class Client:
    """An asyncio connection to a ``jscored`` daemon; see :class:`jscore.Client` for
    the arguments. Safe to share between the tasks of one event loop.
    ``connect_timeout`` is waited for by ``async with`` (or :meth:`wait_ready`), since
    a constructor cannot await. ``shared_stream=True`` sends the evaluations and calls
    of all tasks through one shared ``Batch`` stream (:mod:`jscore.aio_shared_stream`)."""

    def __init__(
        self,
        target: Optional[rq.Target] = None,
        timeout: Optional[rq.Duration] = 5.0,
        *,
        credentials: Optional[grpc.ChannelCredentials] = None,
        metadata: rq.Metadata = (),
        options: Sequence[Any] = (),
        channel: Optional[grpc.aio.Channel] = None,
        retries: int = 3,
        token: Optional[str] = None,
        wait_for_ready: bool = False,
        connect_timeout: Optional[rq.Duration] = None,
        console: conn.Console = None,
        shared_stream: bool = False,
        shared_stream_window: int = 256,
    ) -> None:
        self.target, self.replicas = rq.replica_target(conn.resolve_target(target))
        self.timeout: Optional[float] = rq.seconds(timeout)
        self.metadata: Optional[rq.Metadata] = conn.call_metadata(metadata, token)
        self.wait_for_ready = wait_for_ready
        self.connect_timeout: Optional[float] = rq.seconds(connect_timeout)
        self._console = conn.console_sink(console)
        self._closed = False
        self._owns_channel = channel is None
        self._credentials = credentials
        self._options = list(options)
        if channel is None:
            opts = rq.channel_options(len(self.replicas) > 1, retries, options)
            if credentials is not None:
                channel = grpc.aio.secure_channel(self.target, credentials, opts)
            else:
                channel = grpc.aio.insecure_channel(self.target, opts)
        self.channel: grpc.aio.Channel = channel
        self.stub = pb_grpc.JsCoreStub(channel)
        """The raw ``jscore.v1.JsCore`` stub (its methods return awaitables)."""
        self._health = health_pb2_grpc.HealthStub(channel)
        self._pinned: Dict[str, Tuple[grpc.aio.Channel, pb_grpc.JsCoreStub]] = {}
        self._raw_call: Any = None  # program calls as template bytes (see jscore.Client)
        self._shared = AioSharedStream(self, shared_stream_window) if shared_stream else None
        if self._owns_channel:
            self._raw_call = channel.unary_unary(
                "/jscore.v1.JsCore/Call", request_serializer=None,
                response_deserializer=pb.EvaluateResponse.FromString)

    def _stub_at(self, replica: str) -> pb_grpc.JsCoreStub:
        """See :meth:`jscore.Client._stub_at` (one event loop: no lock needed)."""
        if not replica or len(self.replicas) < 2 or not self._owns_channel:
            return self.stub
        pinned = self._pinned.get(replica)
        if pinned is None:
            opts = rq.DEFAULT_OPTIONS + self._options
            if self._credentials is not None:
                channel = grpc.aio.secure_channel(replica, self._credentials, opts)
            else:
                channel = grpc.aio.insecure_channel(replica, opts)
            pinned = self._pinned[replica] = (channel, pb_grpc.JsCoreStub(channel))
        return pinned[1]

    def _timeout(self, timeout: Optional[rq.Duration]) -> Optional[float]:
        return self.timeout if timeout is None else rq.seconds(timeout)

    async def wait_ready(self, timeout: Optional[rq.Duration] = None) -> None:
        """Waits until the channel is connected (``None``: as long as it takes);
        :class:`~jscore.Unavailable` if it is not within ``timeout`` seconds."""
        self._check_open()
        try:  # any answer, even an error status, means connected
            await self._health.Check(health_pb2.HealthCheckRequest(), timeout=rq.seconds(timeout),
                                     metadata=self.metadata, wait_for_ready=True)
        except grpc.RpcError as e:
            conn.check_connected(e, self.target, timeout)

    def _check_open(self) -> None:
        if self._closed:
            raise Closed("the client is closed")

    async def _unary(self, method: Any, request: Any, timeout: Optional[float]) -> Any:
        self._check_open()
        deadline = rq.rpc_timeout(timeout)
        try:
            response = await method(request, timeout=deadline, metadata=self.metadata,
                                    wait_for_ready=self.wait_for_ready)
        except grpc.RpcError as e:
            raise conn.name_client_deadline(error_from_rpc(e), deadline) from None
        except grpc.aio.UsageError as e:  # a channel= the caller closed
            raise Closed(f"the client's channel is closed: {e}") from None
        conn.forward_console(self._console, response)
        return response

    async def evaluate(
        self,
        source: str,
        globals: Optional[Mapping[str, Any]] = None,
        *,
        timeout: Optional[rq.Duration] = None,
        filename: Optional[str] = None,
        extensions: bool = True,
        random_seed: Optional[int] = None,
        frozen_time: "Optional[_dt.datetime | float]" = None,
        browser: Optional[rq.Browser] = None,
        probe: bool = False,
        type: Optional[rq.SourceType] = None,
        modules: Optional[Mapping[str, str]] = None,
    ) -> Any:
        """Runs ``source`` in a fresh context and returns its value
        (see :meth:`jscore.Client.evaluate`)."""
        return rq.value_of(await self._evaluate(
            source, globals, timeout, filename, extensions,
            dict(random_seed=random_seed, frozen_time=frozen_time, browser=browser, probe=probe),
            dict(type=type, modules=modules),
        ))

    async def evaluate_result(
        self,
        source: str,
        globals: Optional[Mapping[str, Any]] = None,
        *,
        timeout: Optional[rq.Duration] = None,
        filename: Optional[str] = None,
        extensions: bool = True,
        random_seed: Optional[int] = None,
        frozen_time: "Optional[_dt.datetime | float]" = None,
        browser: Optional[rq.Browser] = None,
        probe: bool = False,
        type: Optional[rq.SourceType] = None,
        modules: Optional[Mapping[str, str]] = None,
    ) -> rq.Result:
        """Like :meth:`evaluate`, but returns the whole :class:`~jscore.Result`."""
        return rq.result_of(await self._evaluate(
            source, globals, timeout, filename, extensions,
            dict(random_seed=random_seed, frozen_time=frozen_time, browser=browser, probe=probe),
            dict(type=type, modules=modules),
        ))

    async def _evaluate(
        self,
        source: str,
        globals: Optional[Mapping[str, Any]],
        timeout: Optional[rq.Duration],
        filename: Optional[str],
        extensions: bool,
        env: Dict[str, Any],
        code: Dict[str, Any],
    ) -> pb.EvaluateResponse:
        seconds = self._timeout(timeout)
        request = rq.evaluate_request(
            source, globals, timeout=seconds, filename=filename, extensions=extensions, **code
        )
        rq.set_environment(request, **env)
        if self._shared is not None:
            data = request.SerializeToString()
            if self._shares(data):
                return await self._streamed(EVALUATE, data, seconds)
        return await self._unary(self.stub.Evaluate, request, seconds)

    async def _streamed(self, tag: bytes, data: bytes, timeout: Optional[float]) -> Any:
        """A request's bytes through the shared stream (see :meth:`jscore.Client._streamed`)."""
        self._check_open()
        assert self._shared is not None
        response = await self._shared.request(tag, data, timeout)
        conn.forward_console(self._console, response)
        return response

    def _shares(self, data: bytes, session: bool = False) -> bool:
        """See :meth:`jscore.Client._shares`."""
        return (self._shared is not None and len(data) <= MAX_ITEM_BYTES
                and not (session and len(self.replicas) > 1))

    async def load_program(
        self,
        source: str,
        modules: Optional[Mapping[str, str]] = None,
        *,
        filename: Optional[str] = None,
        type: Optional[rq.SourceType] = None,
        browser: Optional[rq.Browser] = None,
    ) -> "Program":
        """Compiles ``source`` once on the daemon: a script, ``type="commonjs"`` or
        ``type="module"`` (an ES module graph over ``modules``), with the browser profile
        when ``browser`` is set (see :meth:`jscore.Client.load_program`)."""
        request = rq.load_program_request(source, modules, filename, type=type, browser=browser)
        response = await self._unary(self.stub.LoadProgram, request, self.timeout)
        return Program(self, rq.check_load_response(response), source, modules, filename,
                       type=type, browser=browser)

    async def validate(
        self,
        source: str,
        modules: Optional[Mapping[str, str]] = None,
        *,
        filename: Optional[str] = None,
        type: Optional[rq.SourceType] = None,
    ) -> None:
        """Checks that ``source`` compiles, keeping nothing; raises its ``JsError`` if not."""
        request = rq.load_program_request(source, modules, filename, validate_only=True, type=type)
        rq.check_load_response(await self._unary(self.stub.LoadProgram, request, self.timeout))

    def context(
        self,
        *,
        random_seed: Optional[int] = None,
        ttl: Optional[rq.Duration] = None,
        program: "Program | str | None" = None,
        source: Optional[str] = None,
        extensions: bool = True,
        frozen_time: "Optional[_dt.datetime | float]" = None,
        browser: Optional[rq.Browser] = None,
    ) -> "PendingContext":
        """A session (see :meth:`jscore.Client.context`): ``ctx = await client.context()``,
        or ``async with client.context() as ctx:`` to delete it at the end."""
        return PendingContext(
            self, program, random_seed, ttl, source, extensions, frozen_time, browser
        )

    async def _create_context(
        self,
        program: "Program | str | None",
        random_seed: Optional[int],
        ttl: Optional[rq.Duration],
        source: Optional[str],
        extensions: bool,
        frozen_time: "Optional[_dt.datetime | float]" = None,
        browser: Optional[rq.Browser] = None,
    ) -> "Context":
        program_id = program if isinstance(program, str) or program is None else program.id
        request = rq.create_session_request(
            program=program_id, source=source, ttl=ttl, extensions=extensions,
            random_seed=random_seed,
        )
        rq.set_environment(request, frozen_time=frozen_time, browser=browser)
        stub = self.stub
        for attempt in range(rq.reload_attempts(self.replicas) + 1):
            try:
                response = await self._unary(stub.CreateSession, request, self.timeout)
                break
            except Error as e:
                if not (isinstance(program, Program) and rq.is_program_not_loaded(e)):
                    raise
                if attempt == rq.reload_attempts(self.replicas):
                    raise
                stub = self._stub_at(rq.replica_of(e))
                await program.reload(stub)
                request.program = program.id
        session, worker, replica = rq.check_session_response(response)
        return Context(self, session, worker, replica)

    def batch(
        self,
        items: "Iterable[BatchItem] | AsyncIterable[BatchItem]",
        *,
        window: int = 256,
        timeout: Optional[rq.Duration] = None,
        pack: int = 64,
    ) -> AsyncGenerator[BatchResult, None]:
        """Many evaluations and calls through one stream (see :meth:`jscore.Client.batch`);
        ``items`` may also be an async iterable (its items go one a message). Use with
        ``async for``."""
        if window < 1 or pack < 1:
            raise ValueError("window and pack must be at least 1")
        self._check_open()
        return run_batch(self, items, window, rq.seconds(timeout), pack)

    async def stats(self) -> pb.GetStatsResponse:
        """The daemon's counters."""
        return await self._unary(self.stub.GetStats, pb.GetStatsRequest(), self.timeout)

    async def health(self, service: str = "") -> str:
        """The grpc.health.v1 status: ``"SERVING"``, ``"NOT_SERVING"``..."""
        response = await self._unary(
            self._health.Check, health_pb2.HealthCheckRequest(service=service), self.timeout
        )
        return health_pb2.HealthCheckResponse.ServingStatus.Name(response.status)

    async def close(self) -> None:
        """Closes the channel (if the client created it); later calls raise
        :class:`~jscore.Closed`."""
        self._closed = True
        if self._shared is not None:
            self._shared.close()
        if self._owns_channel:
            await self.channel.close()
        pinned, self._pinned = list(self._pinned.values()), {}
        for channel, _ in pinned:
            await channel.close()

    async def __aenter__(self) -> "Client":
        if self.connect_timeout is not None:
            try:
                await self.wait_ready(self.connect_timeout)
            except BaseException:
                await self.close()
                raise
        return self

    async def __aexit__(
        self,
        exc_type: Optional[Type[BaseException]],
        exc: Optional[BaseException],
        tb: Optional[types.TracebackType],
    ) -> None:
        await self.close()


class Program:
    """A loaded program (see :class:`jscore.Program`); its methods are coroutines."""

    def __init__(
        self,
        client: Client,
        id: str,
        source: str,
        modules: Optional[Mapping[str, str]] = None,
        filename: Optional[str] = None,
        *,
        type: Optional[rq.SourceType] = None,
        browser: Optional[rq.Browser] = None,
    ) -> None:
        self.client = client
        self.id = id
        self.source = source
        self.modules: Dict[str, str] = dict(modules or {})
        self.filename = filename
        self.type = type
        self.browser = browser
        self._templates = rq.CallTemplates()

    async def call(
        self,
        function: str,
        *args: Any,
        timeout: Optional[rq.Duration] = None,
        fresh: bool = False,
        random_seed: Optional[int] = None,
        frozen_time: "Optional[_dt.datetime | float]" = None,
        probe: bool = False,
    ) -> Any:
        """Calls ``function(*args)``; re-sends the program and retries once if the
        daemon does not hold it."""
        return rq.value_of(await self._call(
            function, args, timeout, fresh,
            dict(random_seed=random_seed, frozen_time=frozen_time, probe=probe),
        ))

    async def call_result(
        self,
        function: str,
        *args: Any,
        timeout: Optional[rq.Duration] = None,
        fresh: bool = False,
        random_seed: Optional[int] = None,
        frozen_time: "Optional[_dt.datetime | float]" = None,
        probe: bool = False,
    ) -> rq.Result:
        """Like :meth:`call`, but returns the whole :class:`~jscore.Result`."""
        return rq.result_of(await self._call(
            function, args, timeout, fresh,
            dict(random_seed=random_seed, frozen_time=frozen_time, probe=probe),
        ))

    async def _call(
        self,
        function: str,
        args: Sequence[Any],
        timeout: Optional[rq.Duration],
        fresh: bool,
        env: Dict[str, Any],
    ) -> pb.EvaluateResponse:
        client = self.client
        seconds = client._timeout(timeout)
        raw = client._raw_call if rq.plain_call(env) else None  # see jscore.Program._call
        if raw is not None:
            args_field = rq.args_json_field(args)
            data = self._templates.prefix(self.id, function, seconds, fresh) + args_field
        else:
            request = rq.call_request(function, args, program=self.id, timeout=seconds,
                                      fresh=fresh)
            rq.set_environment(request, **env)
        if client._shared is not None:  # see jscore.Program._call
            shared = data if raw is not None else request.SerializeToString()
            if client._shares(shared):
                try:
                    return await client._streamed(CALL, shared, seconds)
                except Error as e:
                    if e.code != grpc.StatusCode.FAILED_PRECONDITION:
                        raise
        stub = client.stub
        attempts = rq.reload_attempts(client.replicas)
        for attempt in range(attempts + 1):
            try:
                if raw is None:
                    return await client._unary(stub.Call, request, seconds)
                if stub is client.stub:
                    return await client._unary(raw, data, seconds)
                return await client._unary(stub.Call, pb.CallRequest.FromString(data), seconds)
            except Error as e:
                if not rq.is_program_not_loaded(e) or attempt == attempts:
                    raise
                stub = client._stub_at(rq.replica_of(e))
            await self.reload(stub)
            if raw is None:
                request.program = self.id
            else:
                data = self._templates.prefix(self.id, function, seconds, fresh) + args_field
        raise AssertionError("unreachable")

    async def reload(self, stub: Optional[pb_grpc.JsCoreStub] = None) -> None:
        """Sends the program to the daemon again."""
        stub = stub or self.client.stub
        request = rq.load_program_request(
            self.source, self.modules, self.filename, type=self.type, browser=self.browser
        )
        response = await self.client._unary(stub.LoadProgram, request, self.client.timeout)
        self.id = rq.check_load_response(response)

    async def unload(self) -> None:
        """Drops the program from the daemon (from every replica when there are
        several; ``NotFound`` if none held it)."""
        client = self.client
        request = pb.UnloadProgramRequest(program=self.id)
        stubs = [client._stub_at(r) for r in client.replicas] or [client.stub]
        held = 0
        for stub in stubs:
            try:
                await client._unary(stub.UnloadProgram, request, client.timeout)
                held += 1
            except NotFound:
                if len(stubs) == 1:
                    raise
        if held == 0:
            raise NotFound(
                f"program not loaded on any replica: {self.id}", grpc.StatusCode.NOT_FOUND
            )

    def context(self, **kwargs: Any) -> "PendingContext":
        """A session that starts from this program's globals."""
        return self.client.context(program=self, **kwargs)
