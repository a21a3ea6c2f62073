"""A program loaded on the daemon (:meth:`jscore.Client.load_program`): compiled once,
its functions called many times, re-sent when a daemon lost it.

A :class:`Program` may be shared by any number of threads, like its client.
"""

from __future__ import annotations

import datetime as _dt
from typing import TYPE_CHECKING, Any, Dict, Mapping, Optional, Sequence

import grpc

from jscore import _requests as rq
from jscore._proto import pb, pb_grpc
from jscore.errors import Error, NotFound
from jscore.shared_stream import CALL

if TYPE_CHECKING:  # pragma: no cover
    from jscore.client import Client
    from jscore.session import Context

__all__ = ["Program"]


class Program:
    """A program loaded on the daemon (:meth:`Client.load_program`).

    It keeps its source, so when a daemon answers that it does not hold the program
    (a restart, another replica behind a load balancer, an unload) :meth:`call`
    re-sends it and retries once.

    Attributes:
        id: The program id (hex SHA-256 of source and modules, type and profile).
        source, modules, filename, type, browser: What was loaded.
    """

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

    def call(
        self,
        function: str,
        *args: Any,
        timeout: Optional[rq.Duration] = None,
        fresh: bool = False,
        random_seed: Optional[int] = None,
        frozen_time: "Optional[_dt.datetime | float]" = None,
        probe: bool = False,
    ) -> Any:
        """Calls ``function(*args)``; ``function`` is a dotted path from a top-level
        binding (``"sign"``, ``"CryptoLib.encrypt"``; a module's export: ``"default"``).
        A returned promise is awaited.

        Args:
            fresh: Run in a fresh copy of the program's context (no state kept from
                earlier calls).
            random_seed, frozen_time, probe: As for :meth:`Client.evaluate` (they
                run the call in a context of its own).

        Raises:
            JsError: the function threw (or is not a function).
        """
        return rq.value_of(self._call(
            function, args, timeout, fresh,
            dict(random_seed=random_seed, frozen_time=frozen_time, probe=probe),
        ))

    def call_result(
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
        return rq.result_of(self._call(
            function, args, timeout, fresh,
            dict(random_seed=random_seed, frozen_time=frozen_time, probe=probe),
        ))

    def _call(
        self,
        function: str,
        args: Sequence[Any],
        timeout: Optional[rq.Duration],
        fresh: bool,
        env: Dict[str, Any],
    ) -> pb.EvaluateResponse:
        client = self.client
        seconds = client._timeout(timeout)
        # The common call (no environment fields) goes out as bytes: a cached template
        # of the request plus the arguments' JSON, with no message built per call.
        raw = client._raw_call if rq.plain_call(env) else None
        if raw is not None:
            args_field = rq.args_json_field(args)
            data = self._prefix(function, seconds, fresh) + args_field
        else:
            request = rq.call_request(function, args, program=self.id, timeout=seconds,
                                      fresh=fresh)
            rq.set_environment(request, **env)
        if client._shared is not None:
            shared = data if raw is not None else request.SerializeToString()
            if client._shares(shared):
                try:
                    return client._streamed(CALL, shared, seconds)
                except Error as e:
                    # A program the daemon lacks (batch items carry no ErrorDetail to
                    # say so): the unary path below re-sends it and retries once.
                    if e.code != grpc.StatusCode.FAILED_PRECONDITION:
                        raise
        stub = client.stub
        attempts = rq.reload_attempts(client.replicas)
        for attempt in range(attempts + 1):
            try:
                if raw is None:
                    return client._unary(stub.Call, request, seconds)
                if stub is client.stub:
                    return client._unary(raw, data, seconds)
                return client._unary(stub.Call, pb.CallRequest.FromString(data), seconds)
            except Error as e:
                if not rq.is_program_not_loaded(e) or attempt == attempts:
                    raise
                # Back to the replica that lacks it (with several replicas), re-send, retry there.
                stub = client._stub_at(rq.replica_of(e))
            self.reload(stub)
            if raw is None:
                request.program = self.id
            else:
                data = self._prefix(function, seconds, fresh) + args_field
        raise AssertionError("unreachable")

    def _prefix(self, function: str, seconds: Optional[float], fresh: bool) -> bytes:
        """The request template of a call (:func:`jscore._requests.call_prefix`), cached."""
        return self._templates.prefix(self.id, function, seconds, fresh)

    def reload(self, stub: Optional[pb_grpc.JsCoreStub] = None) -> None:
        """Sends the program to the daemon again (what :meth:`call` does when needed)."""
        stub = stub or self.client.stub
        request = rq.load_program_request(
            self.source, self.modules, self.filename, type=self.type, browser=self.browser
        )
        response = self.client._unary(stub.LoadProgram, request, self.client.timeout)
        self.id = rq.check_load_response(response)

    def unload(self) -> None:
        """Drops the program from the daemon, from every replica when the client has
        several (``NotFound`` if none held it)."""
        client = self.client
        request = pb.UnloadProgramRequest(program=self.id)
        stubs = [client._stub_at(r) for r in client.replicas] or [client.stub]
        held = 0
        for stub in stubs:
            try:
                client._unary(stub.UnloadProgram, request, client.timeout)
                held += 1
            except NotFound:
                if len(stubs) == 1:
                    raise
        if held == 0:
            raise NotFound(
                f"program not loaded on any replica: {self.id}", grpc.StatusCode.NOT_FOUND
            )

    def context(self, **kwargs: Any) -> "Context":
        """A session that starts from this program's globals (see :meth:`Client.context`)."""
        return self.client.context(program=self, **kwargs)

    def __repr__(self) -> str:
        return f"jscore.Program({self.id[:12]}...)"
