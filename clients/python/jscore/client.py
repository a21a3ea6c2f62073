"""The synchronous client: :class:`Client` and :class:`Context` (and :class:`Program`,
from :mod:`jscore.program`).

One :class:`Client` holds one gRPC channel and may be shared by any number of threads;
so may the :class:`Program` and :class:`Context` objects it returns (the daemon runs a
session's jobs one at a time, in arrival order).
"""

from __future__ import annotations

import datetime as _dt
import threading
import types
from typing import (
    Any,
    Callable,
    Dict,
    Generator,
    Iterable,
    Mapping,
    Optional,
    Sequence,
    Tuple,
    Type,
    TypeVar,
)

import grpc

from jscore import _connection as conn
from jscore import _requests as rq
from jscore._proto import health_pb2, health_pb2_grpc, pb, pb_grpc
from jscore.batch import PACK, BatchItem, BatchResult, run_batch
from jscore.errors import Closed, Error, error_from_rpc
from jscore.program import Program
from jscore.session import Context
from jscore.shared_stream import EVALUATE, MAX_ITEM_BYTES, SharedStream

__all__ = ["Client", "Context", "Program"]

_T = TypeVar("_T")


class Client:
    """A connection to a ``jscored`` daemon.

    Args:
        target: ``host:port`` of the daemon (any gRPC target: ``dns:///...`` too), or
            a list of replicas' ``IP:port`` addresses: requests are spread over them
            with gRPC's ``round_robin``, a session's requests go to the replica that
            holds it, and a program is re-sent to a replica that lacks it. ``None``:
            ``$JSCORE_TARGET``, else ``127.0.0.1:50051``.
        timeout: Default timeout of each request, in seconds; the daemon stops a
            script that runs longer (:class:`~jscore.Timeout`). ``None`` leaves it to
            the daemon's ``--default_timeout``.
        credentials: TLS channel credentials; plaintext when ``None``.
        metadata: Sent with every RPC.
        options: Extra gRPC channel options.
        channel: Use this channel instead of creating one (``target``,
            ``credentials`` and ``options`` are then ignored; the client does not
            close it).
        retries: Extra attempts gRPC makes, on another replica if there is one, when
            a request fails ``UNAVAILABLE`` before any answer (a replica gone or
            shutting down); only for requests without effects outside the daemon
            (evaluations, calls, loads, session creation). 0 turns it off.
        token: Sends ``authorization: Bearer <token>`` with every RPC (the daemon's
            ``--auth_token_file``). ``None``: the first line of the file named by
            ``$JSCORE_TOKEN_FILE``, if set; ``""``: no token.
        wait_for_ready: Calls made while the daemon is not reachable yet (starting,
            restarting) wait for it, up to their deadline, instead of failing
            ``UNAVAILABLE`` at once (gRPC's ``wait_for_ready``).
        connect_timeout: Wait this long for the connection in the constructor
            (:meth:`wait_ready`); :class:`~jscore.Unavailable` if it is not up by then.
        console: ``"logging"`` logs the console lines of every evaluation and call
            to the ``jscore.console`` logger (``console.warn`` at ``WARNING``...); a
            ``logging.Logger`` logs them there. They stay in results too.
        shared_stream: Send evaluations and calls (programs', sessions', fresh ones)
            from all threads as items of one long-lived ``Batch`` stream instead of
            one RPC each (:mod:`jscore.shared_stream`): far cheaper per call when many
            threads call at once. Same results, errors and timeouts as unary (errors
            carry no ``detail``). With several replicas, session requests stay unary.
        shared_stream_window: Most requests in flight on the shared stream; a thread
            that finds it full blocks until a slot frees, up to its call's deadline
            (then :class:`~jscore.Timeout`). A message carries at most
            ``min(64, shared_stream_window)`` items: keep that within the daemon's
            ``--batch_window``.

    Example::

        with jscore.Client("127.0.0.1:50051") as client:
            client.evaluate("1 + 2")                     # 3
            client.evaluate("x * 2", globals={"x": 21})  # 42
    """

    def __init__(
        self,
        target: Optional[rq.Target] = None,
        timeout: Optional[rq.Duration] = 5.0,
        *,
        credentials: Optional[grpc.ChannelCredentials] = None,
        metadata: rq.Metadata = (),
        options: Sequence[Any] = (),
        channel: Optional[grpc.Channel] = None,
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
        self._console = conn.console_sink(console)
        self._closed = False
        self._owns_channel = channel is None
        self._credentials = credentials
        self._options = list(options)
        if channel is None:
            opts = rq.channel_options(len(self.replicas) > 1, retries, options)
            if credentials is not None:
                channel = grpc.secure_channel(self.target, credentials, opts)
            else:
                channel = grpc.insecure_channel(self.target, opts)
        self.channel: grpc.Channel = channel
        self.stub = pb_grpc.JsCoreStub(channel)
        """The raw ``jscore.v1.JsCore`` stub, for what this API does not cover."""
        # Program calls and Batch messages go out as prebuilt bytes through these
        # (jscore.program, jscore.batch): only on a channel of the client's own, where
        # no interceptor expects a message.
        self._raw_call: Optional[Callable[..., pb.EvaluateResponse]] = None
        self._raw_batch: Optional[Callable[..., Any]] = None
        if self._owns_channel:
            self._raw_call = channel.unary_unary(
                "/jscore.v1.JsCore/Call", request_serializer=None,
                response_deserializer=pb.EvaluateResponse.FromString)
            self._raw_batch = channel.stream_stream(
                "/jscore.v1.JsCore/Batch", request_serializer=None,
                response_deserializer=pb.BatchResponse.FromString)
        self._health = health_pb2_grpc.HealthStub(channel)
        self._shared: Optional[SharedStream] = (
            SharedStream(self, shared_stream_window) if shared_stream else None)
        self._pinned: Dict[str, Tuple[grpc.Channel, pb_grpc.JsCoreStub]] = {}
        self._pinned_lock = threading.Lock()
        if connect_timeout is not None:
            try:
                self.wait_ready(connect_timeout)
            except BaseException:
                self.close()
                raise

    def wait_ready(self, timeout: Optional[rq.Duration] = None) -> None:
        """Waits until the channel is connected (``None``: as long as it takes).

        Raises:
            Unavailable: not connected within ``timeout`` seconds.
        """
        self._check_open()
        try:  # any answer, even an error status, means connected
            self._health.Check(health_pb2.HealthCheckRequest(), timeout=rq.seconds(timeout),
                               metadata=self.metadata, wait_for_ready=True)
        except grpc.RpcError as e:
            conn.check_connected(e, self.target, timeout)

    def _check_open(self) -> None:
        if self._closed:
            raise Closed("the client is closed")

    # -- plumbing ---------------------------------------------------------------------

    def _timeout(self, timeout: Optional[rq.Duration]) -> Optional[float]:
        return self.timeout if timeout is None else rq.seconds(timeout)

    def _stub_at(self, replica: str) -> pb_grpc.JsCoreStub:
        """The stub for requests that must reach ``replica`` (a session's, a program
        re-sent to the replica that lacked it): a channel of its own when this client
        balances over several replicas, else the client's one channel."""
        if not replica or len(self.replicas) < 2 or not self._owns_channel:
            return self.stub
        with self._pinned_lock:
            pinned = self._pinned.get(replica)
            if pinned is None:
                opts = rq.DEFAULT_OPTIONS + self._options
                if self._credentials is not None:
                    channel = grpc.secure_channel(replica, self._credentials, opts)
                else:
                    channel = grpc.insecure_channel(replica, opts)
                pinned = self._pinned[replica] = (channel, pb_grpc.JsCoreStub(channel))
            return pinned[1]

    def _unary(self, method: Callable[..., _T], request: Any, timeout: Optional[float]) -> _T:
        self._check_open()
        deadline = rq.rpc_timeout(timeout)
        try:
            response = method(request, timeout=deadline, metadata=self.metadata,
                              wait_for_ready=self.wait_for_ready)
        except grpc.RpcError as e:
            raise conn.name_client_deadline(error_from_rpc(e), deadline) from None
        except ValueError as e:  # a channel= the caller closed
            if "closed channel" not in str(e):
                raise
            raise Closed(f"the client's channel is closed: {e}") from None
        conn.forward_console(self._console, response)
        return response

    def _streamed(self, tag: bytes, data: bytes, timeout: Optional[float]) -> pb.EvaluateResponse:
        """An ``EvaluateRequest``'s or ``CallRequest``'s bytes sent as an item of the
        shared stream (``tag``: :data:`jscore.shared_stream.EVALUATE` or ``CALL``)."""
        self._check_open()
        assert self._shared is not None
        response = self._shared.request(tag, data, timeout)
        conn.forward_console(self._console, response)
        return response

    def _shares(self, data: bytes, session: bool = False) -> bool:
        """Whether a request of these bytes goes through the shared stream: it is on,
        the request is not too large, and a session's request may reach its replica."""
        return (self._shared is not None and len(data) <= MAX_ITEM_BYTES
                and not (session and len(self.replicas) > 1))

    # -- evaluation -------------------------------------------------------------------

    def evaluate(
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
        """Runs ``source`` in a fresh context and returns its value.

        A returned promise is awaited. ``globals`` become global variables first.

        Args:
            extensions: ``False`` for bare ECMAScript.
            random_seed: Makes ``Math.random``, ``crypto.getRandomValues`` and
                ``crypto.randomUUID`` repeat the same sequence for the same seed.
            frozen_time: Stops ``Date.now()``, ``new Date()`` and ``performance.now()``
                at this instant (a ``datetime``, or epoch milliseconds).
            browser: ``True``, or a dict of ``BrowserProfile`` fields (``user_agent``,
                ``url``, ``cookie``, ``languages``...): ``window``, ``navigator``,
                ``location``, ``document``, ``screen`` and storage, as in a browser page.
            probe: List in ``Result.probed_missing`` the globals the script read but
                found undefined (use :meth:`evaluate_result`).
            type: ``"commonjs"`` or ``"module"`` (an ES module graph: the value is its
                namespace) instead of a script, as for :meth:`load_program`.
            modules: ``path -> source`` files that ``require`` and ``import`` reach.

        Raises:
            JsError: the script threw or its promise was rejected.
            Timeout, ResourceExhausted, InvalidArgument, Unavailable, Error: see
                :mod:`jscore.errors`.
        """
        return rq.value_of(self._evaluate(
            source, globals, timeout, filename, extensions,
            dict(random_seed=random_seed, frozen_time=frozen_time, browser=browser, probe=probe),
            dict(type=type, modules=modules),
        ))

    def evaluate_result(
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
        """Like :meth:`evaluate`, but returns the whole :class:`~jscore.Result`
        (value, console output, timings)."""
        return rq.result_of(self._evaluate(
            source, globals, timeout, filename, extensions,
            dict(random_seed=random_seed, frozen_time=frozen_time, browser=browser, probe=probe),
            dict(type=type, modules=modules),
        ))

    def _evaluate(
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
                return self._streamed(EVALUATE, data, seconds)
        return self._unary(self.stub.Evaluate, request, seconds)

    # -- programs ---------------------------------------------------------------------

    def load_program(
        self,
        source: str,
        modules: Optional[Mapping[str, str]] = None,
        *,
        filename: Optional[str] = None,
        type: Optional[rq.SourceType] = None,
        browser: Optional[rq.Browser] = None,
    ) -> "Program":
        """Compiles ``source`` once on the daemon; call its functions with
        :meth:`Program.call`.

        Args:
            source: A script defining functions (``function sign(...) {...}``,
                ``const Lib = {...}``), CommonJS, or an ES module (see ``type``).
            modules: ``path -> source`` files (CommonJS, ES modules, JSON) that
                ``require`` and ``import`` resolve in as Node does (README, "Modules").
            filename: The source's path (stack traces, relative imports).
            type: ``"script"`` (default), ``"commonjs"`` (calls name properties of its
                ``module.exports``) or ``"module"`` (calls name its exports:
                ``"default"``, ``"sign"``, ``"Lib.encrypt"``).
            browser: ``True`` or ``BrowserProfile`` fields: the program's contexts get
                the browser profile (as for :meth:`evaluate`); part of its id.

        Raises:
            JsError: the source does not compile (a ``SyntaxError``...).
        """
        request = rq.load_program_request(source, modules, filename, type=type, browser=browser)
        response = self._unary(self.stub.LoadProgram, request, self.timeout)
        return Program(self, rq.check_load_response(response), source, modules, filename,
                       type=type, browser=browser)

    def validate(
        self,
        source: str,
        modules: Optional[Mapping[str, str]] = None,
        *,
        filename: Optional[str] = None,
        type: Optional[rq.SourceType] = None,
    ) -> None:
        """Checks that ``source`` compiles, keeping nothing; raises its ``JsError`` if not."""
        request = rq.load_program_request(source, modules, filename, validate_only=True, type=type)
        rq.check_load_response(self._unary(self.stub.LoadProgram, request, self.timeout))

    # -- sessions ---------------------------------------------------------------------

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
    ) -> "Context":
        """Creates a session: a JS context kept on the daemon, the analogue of
        ``never_jscore.Context``. Use it as a context manager to delete it at the end.

        Args:
            random_seed: Seeds the session's ``Math.random`` and crypto randomness once
                (the sequence runs on across its requests).
            ttl: Idle time after which the daemon deletes the session (default: the
                daemon's ``--session_ttl``).
            program: Start from this program's globals (a :class:`Program` is
                re-sent if the daemon lost it).
            source: A script run once when the session is created.
            extensions: ``False`` for bare ECMAScript.
            frozen_time, browser: As for :meth:`evaluate`, for the session's life.
        """
        program_id = program if isinstance(program, str) or program is None else program.id
        request = rq.create_session_request(
            program=program_id, source=source, ttl=ttl, extensions=extensions,
            random_seed=random_seed,
        )
        rq.set_environment(request, frozen_time=frozen_time, browser=browser)
        stub = self.stub
        for attempt in range(rq.reload_attempts(self.replicas) + 1):
            try:
                response = self._unary(stub.CreateSession, request, self.timeout)
                break
            except Error as e:
                if not (isinstance(program, Program) and rq.is_program_not_loaded(e)):
                    raise
                if attempt == rq.reload_attempts(self.replicas):
                    raise
                stub = self._stub_at(rq.replica_of(e))
                program.reload(stub)
                request.program = program.id
        session, worker, replica = rq.check_session_response(response)
        return Context(self, session, worker, replica)

    # -- batch ------------------------------------------------------------------------

    def batch(
        self,
        items: Iterable[BatchItem],
        *,
        window: int = 256,
        timeout: Optional[rq.Duration] = None,
        pack: int = PACK,
    ) -> Generator[BatchResult, None, None]:
        """Sends many evaluations and calls through one stream.

        Args:
            items: :class:`~jscore.Eval`, :class:`~jscore.CallItem` or dicts; may be a
                lazy iterator (it is consumed as the window allows).
            window: Most items in flight beyond the results received.
            timeout: Deadline of the whole stream in seconds (none by default);
                each item has its own timeout (default: the client's).
            pack: Most items sent in one message (items ready together share one);
                at most the daemon's ``--batch_window`` (256 by default), else the
                stream fails ``InvalidArgument``. 1 sends each item alone.

        Yields:
            :class:`~jscore.BatchResult` in completion order; ``.value`` raises the
            item's error.

        Raises:
            Error: the stream itself failed (daemon gone, cancelled...).
        """
        if window < 1:
            raise ValueError("window must be at least 1")
        self._check_open()
        return run_batch(self, items, window, rq.seconds(timeout), pack)

    # -- service ----------------------------------------------------------------------

    def stats(self) -> pb.GetStatsResponse:
        """The daemon's counters: workers, queue, timeouts, programs, sessions."""
        return self._unary(self.stub.GetStats, pb.GetStatsRequest(), self.timeout)

    def health(self, service: str = "") -> str:
        """The grpc.health.v1 status: ``"SERVING"``, ``"NOT_SERVING"``..."""
        response = self._unary(
            self._health.Check, health_pb2.HealthCheckRequest(service=service), self.timeout
        )
        return health_pb2.HealthCheckResponse.ServingStatus.Name(response.status)

    def close(self) -> None:
        """Closes the channel (if the client created it). Idempotent; later calls
        raise :class:`~jscore.Closed`, and so do calls waiting on the shared stream."""
        self._closed = True
        if self._shared is not None:
            self._shared.close()
        if self._owns_channel:
            self.channel.close()
        with self._pinned_lock:
            pinned, self._pinned = list(self._pinned.values()), {}
        for channel, _ in pinned:
            channel.close()

    def __enter__(self) -> "Client":
        return self

    def __exit__(
        self,
        exc_type: Optional[Type[BaseException]],
        exc: Optional[BaseException],
        tb: Optional[types.TracebackType],
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"jscore.Client({self.target!r}, timeout={self.timeout})"
