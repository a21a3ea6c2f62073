"""Requests and responses shared by the sync and the async client.

Builds the protobuf requests from Python arguments, and turns responses into Python
values or exceptions. No I/O happens here.
"""

from __future__ import annotations

import builtins
import datetime as _dt
import ipaddress
import json
from typing import (
    Any,
    Dict,
    Iterable,
    List,
    Mapping,
    NamedTuple,
    Optional,
    Sequence,
    Tuple,
    Union,
)

import grpc

from jscore._proto import duration_pb2, pb
from jscore.errors import (
    ConsoleLine,
    Error,
    Hooked,
    error_for_status,
    js_error,
    status_code_from_int,
)
from jscore import json_values
from jscore.values import decode

__all__ = [
    "DEFAULT_OPTIONS",
    "CallTemplates",
    "args_json_field",
    "call_prefix",
    "Duration",
    "Target",
    "ExecStats",
    "Metadata",
    "Result",
    "batch_error",
    "call_request",
    "channel_options",
    "check_load_response",
    "check_session_response",
    "console_of",
    "create_session_request",
    "decoded_value",
    "error_of",
    "evaluate_request",
    "is_program_not_loaded",
    "load_program_request",
    "plain_call",
    "reload_attempts",
    "replica_of",
    "replica_target",
    "result_of",
    "rpc_timeout",
    "seconds",
    "set_environment",
    "source_type",
    "value_of",
]

Duration = Union[float, int, _dt.timedelta]
"""A timeout or TTL: seconds (int or float) or a ``timedelta``."""

Metadata = Sequence[Tuple[str, Union[str, bytes]]]

# The daemon's defaults: results up to --max_result_bytes (4 MiB) fit easily, and
# sources up to --max_source_bytes (16 MiB) can be sent.
DEFAULT_OPTIONS: List[Tuple[str, Any]] = [
    ("grpc.max_receive_message_length", 64 * 1024 * 1024),
    ("grpc.max_send_message_length", 64 * 1024 * 1024),
]

Target = Union[str, Sequence[str]]
"""Where the daemon is: one gRPC target (``"127.0.0.1:50051"``, ``"dns:///jscore:50051"``)
or a list of replicas' ``IP:port`` addresses, balanced with ``round_robin``."""

# Methods gRPC may send again, to another replica, when a call fails UNAVAILABLE
# before any answer (the replica was gone or shutting down): none of them has an
# effect outside the daemon. Batch (a stream) and DeleteSession are never re-sent.
_RETRIED_METHODS = ("Evaluate", "Call", "LoadProgram", "CreateSession", "GetStats")


def replica_target(target: Target) -> Tuple[str, List[str]]:
    """``(gRPC target, replica addresses)``. A list of addresses (or one string of
    comma-separated ones) becomes gRPC's static ``ipv4:``/``ipv6:`` target; other
    targets name no replicas."""
    if isinstance(target, str):
        if "," not in target:
            return target, []
        target = target.split(",")
    replicas = [a.strip() for a in target if a.strip()]
    if not replicas:
        raise ValueError("no replica address given")
    families = set()
    for address in replicas:
        host, _, port = address.rpartition(":")
        try:
            families.add(ipaddress.ip_address(host.strip("[]")).version)
            if not 0 < int(port) < 65536:
                raise ValueError
        except ValueError:
            raise ValueError(
                f"replica address {address!r} is not IP:port (for a name, use one "
                "target such as dns:///jscore:50051)"
            ) from None
    if len(families) > 1:
        raise ValueError("replica addresses mix IPv4 and IPv6")
    scheme = "ipv4" if families == {4} else "ipv6"
    return f"{scheme}:{','.join(replicas)}", replicas


def channel_options(balanced: bool, retries: int, options: Sequence[Any]) -> List[Any]:
    """The client's channel options: ``round_robin`` over the replicas when
    ``balanced``, and gRPC's retry of UNAVAILABLE (``retries`` more attempts) for the
    methods that are safe to send again; ``options`` come last and win."""
    config: Dict[str, Any] = {}
    if balanced:
        config["loadBalancingConfig"] = [{"round_robin": {}}]
    if retries > 0:
        config["methodConfig"] = [{
            "name": [{"service": "jscore.v1.JsCore", "method": m} for m in _RETRIED_METHODS],
            "retryPolicy": {
                "maxAttempts": min(retries + 1, 5),  # gRPC's own cap is 5
                "initialBackoff": "0.05s",
                "maxBackoff": "1s",
                "backoffMultiplier": 2,
                "retryableStatusCodes": ["UNAVAILABLE"],
            },
        }]
    out: List[Any] = list(DEFAULT_OPTIONS)
    if config:
        out.append(("grpc.service_config", json.dumps(config)))
    return out + list(options)


def reload_attempts(replicas: Sequence[str]) -> int:
    """How many times a call re-sends a program that a daemon lacks. Each miss names
    its replica, and the program goes back to that one, so one is enough; replicas
    that name no address are reached by the balancer in turn, so allow one per
    replica (and one more)."""
    return len(replicas) + 1


def replica_of(error: Error) -> str:
    """The replica named by the error's detail (its ``--advertise_address``), or ``""``."""
    return error.detail.replica if error.detail is not None else ""


_LEVELS = {v.number: v.name.lower() for v in pb.ConsoleLine.Level.DESCRIPTOR.values}


def seconds(value: Optional[Duration]) -> Optional[float]:
    """Seconds of a timeout argument (``None`` stays ``None``)."""
    if value is None:
        return None
    if isinstance(value, _dt.timedelta):
        value = value.total_seconds()
    value = float(value)
    if value < 0:
        raise ValueError(f"a timeout must not be negative, got {value}")
    return value


def _duration(value: float) -> duration_pb2.Duration:
    d = duration_pb2.Duration()
    d.FromNanoseconds(int(round(value * 1e9)))
    return d


def rpc_timeout(timeout: Optional[float]) -> Optional[float]:
    """The gRPC deadline for a request whose script may run ``timeout`` seconds.

    A little longer than the script's own timeout, so that the daemon reports the
    overrun (with its message) rather than the client cutting the call first.
    """
    if timeout is None:
        return None
    return timeout + max(1.0, timeout * 0.1)


SourceType = Union[str, int]
"""What a source is: ``"script"`` (the default), ``"commonjs"`` or ``"module"`` (an ES
module, the root of a graph over ``modules``), or a ``jscore.v1.SourceType`` number."""

_SOURCE_TYPES = {"script": pb.SOURCE_TYPE_SCRIPT, "commonjs": pb.SOURCE_TYPE_COMMONJS,
                 "module": pb.SOURCE_TYPE_MODULE}


def source_type(value: Optional[SourceType]) -> int:
    """The ``jscore.v1.SourceType`` number of a ``type=`` argument (``None``: a script)."""
    if value is None:
        return pb.SOURCE_TYPE_SCRIPT
    if isinstance(value, str):
        number = _SOURCE_TYPES.get(value.lower())
        if number is not None:
            return number
    elif isinstance(value, int) and not isinstance(value, bool):
        if value in pb.SourceType.values():
            return value
    raise ValueError(f"type must be one of {', '.join(map(repr, _SOURCE_TYPES))}, not {value!r}")


def evaluate_request(
    source: str,
    globals: Optional[Mapping[str, Any]] = None,
    *,
    timeout: Optional[float] = None,
    filename: Optional[str] = None,
    session: Optional[str] = None,
    extensions: bool = True,
    type: Optional[SourceType] = None,
    modules: Optional[Mapping[str, str]] = None,
) -> pb.EvaluateRequest:
    """An ``EvaluateRequest``; ``globals`` go through :func:`jscore.json_values.encode`,
    defined in their order, and the result comes back as a ``JsValue``. ``type`` and
    ``modules`` make the source CommonJS or an ES module graph (fresh evaluations)."""
    if not isinstance(source, str):
        raise TypeError(f"source must be a str, not {builtins.type(source).__name__}")
    request = pb.EvaluateRequest(source=source, value_encoding=pb.VALUE_ENCODING_JSON)
    if filename:
        request.filename = filename
    if session:
        request.session = session
    request.type = source_type(type)  # type: ignore[assignment]
    for path, module in (modules or {}).items():
        request.modules[path] = module
    if not extensions:
        request.extensions = pb.EXTENSIONS_NONE
    if timeout is not None:
        request.timeout.CopyFrom(_duration(timeout))
    if globals:
        for name in globals:
            if not isinstance(name, str):
                raise TypeError(f"global names must be str, not {builtins.type(name).__name__}")
        json_values.encode_into(request.globals_json, globals)
    return request


def call_request(
    function: str,
    args: Iterable[Any],
    *,
    program: Optional[str] = None,
    session: Optional[str] = None,
    timeout: Optional[float] = None,
    fresh: bool = False,
) -> pb.CallRequest:
    """A ``CallRequest`` for a program's or a session's function (a dotted path); the
    arguments go through :func:`jscore.json_values.encode` and the result comes back
    as a ``JsValue``."""
    if (program is None) == (session is None):
        raise ValueError("a call names exactly one of a program or a session")
    request = pb.CallRequest(function=function, value_encoding=pb.VALUE_ENCODING_JSON)
    if program is not None:
        request.program = program
    else:
        request.session = session  # type: ignore[assignment]
    if fresh:
        request.fresh = True
    if timeout is not None:
        request.timeout.CopyFrom(_duration(timeout))
    json_values.encode_into(request.args_json, list(args))
    return request


_ARGS_JSON_TAG = b"R"  # CallRequest.args_json: field 10, length-delimited ((10 << 3) | 2)


def call_prefix(
    function: str, program: str, timeout: Optional[float], fresh: bool
) -> bytes:
    """The serialized ``CallRequest`` of a program call, all but its arguments: a
    template that :func:`args_json_field` completes (fields may come in any order)."""
    request = pb.CallRequest(program=program, function=function,
                             value_encoding=pb.VALUE_ENCODING_JSON)
    if fresh:
        request.fresh = True
    if timeout is not None:
        request.timeout.CopyFrom(_duration(timeout))
    return request.SerializeToString()


class CallTemplates:
    """The :func:`call_prefix`es of one program's calls, by program id, function,
    timeout and ``fresh`` (at most 256; then it starts over). Shared by threads: a
    race builds a template twice, alike."""

    __slots__ = ("_cache",)
    _MAX = 256

    def __init__(self) -> None:
        self._cache: Dict[Tuple[str, str, Optional[float], bool], bytes] = {}

    def prefix(self, program: str, function: str, timeout: Optional[float], fresh: bool) -> bytes:
        key = (program, function, timeout, fresh)
        prefix = self._cache.get(key)
        if prefix is None:
            prefix = call_prefix(function, program, timeout, fresh)
            if len(self._cache) >= self._MAX:
                self._cache.clear()
            self._cache[key] = prefix
        return prefix


def plain_call(env: Mapping[str, Any]) -> bool:
    """A call without environment fields (seed, frozen time, probe): the kind that
    goes out as template bytes."""
    return env["random_seed"] is None and env["frozen_time"] is None and not env["probe"]


def args_json_field(args: Iterable[Any]) -> bytes:
    """``CallRequest.args_json`` for ``args``, serialized: appended to a
    :func:`call_prefix`, it makes the bytes :func:`call_request` would serialize to."""
    value = json_values.encode_bytes(list(args))
    return _ARGS_JSON_TAG + json_values.varint(len(value)) + value


def load_program_request(
    source: str,
    modules: Optional[Mapping[str, str]] = None,
    filename: Optional[str] = None,
    validate_only: bool = False,
    *,
    type: Optional[SourceType] = None,
    browser: "Optional[Browser]" = None,
) -> pb.LoadProgramRequest:
    """A ``LoadProgramRequest``: the source, what it is (``type``), the module files
    ``require`` and ``import`` reach (path -> source), and the browser profile."""
    request = pb.LoadProgramRequest(source=source, validate_only=validate_only)
    if filename:
        request.filename = filename
    for name, module in (modules or {}).items():
        request.modules[name] = module
    request.type = source_type(type)  # type: ignore[assignment]
    set_environment(request, browser=browser)
    return request


def create_session_request(
    *,
    program: Optional[str] = None,
    source: Optional[str] = None,
    ttl: Optional[Duration] = None,
    extensions: bool = True,
    random_seed: Optional[int] = None,
) -> pb.CreateSessionRequest:
    """A ``CreateSessionRequest`` (a context pinned to one worker)."""
    request = pb.CreateSessionRequest()
    if program:
        request.program = program
    if source:
        request.source = source
    ttl_seconds = seconds(ttl)
    if ttl_seconds is not None:
        request.ttl.CopyFrom(_duration(ttl_seconds))
    if not extensions:
        request.extensions = pb.EXTENSIONS_NONE
    if random_seed is not None:
        request.random_seed = random_seed
    return request


Browser = Union[bool, Mapping[str, Any]]
"""``True`` for the browser profile with its defaults, or a mapping of
``jscore.v1.BrowserProfile`` fields (``user_agent``, ``url``, ``cookie``,
``languages``, ``screen_width``, ``screen_height``, ``referrer``, ``platform``)."""

_BROWSER_FIELDS = frozenset(f.name for f in pb.BrowserProfile.DESCRIPTOR.fields)


def set_environment(
    request: Any,
    *,
    random_seed: Optional[int] = None,
    frozen_time: "Optional[_dt.datetime | float]" = None,
    browser: Optional[Browser] = None,
    probe: bool = False,
) -> None:
    """Fills the environment fields of an ``EvaluateRequest``, ``CallRequest`` or
    ``CreateSessionRequest``: a seed for ``Math.random`` and crypto randomness, a
    frozen clock (a ``datetime``, or epoch milliseconds), the browser profile, the probe
    of undefined globals. Fields the request does not have raise ``ValueError``."""
    if random_seed is not None:
        if isinstance(random_seed, bool) or not isinstance(random_seed, int):
            raise TypeError("random_seed must be an int")
        if not 0 < random_seed < 1 << 64:
            raise ValueError("random_seed must be in 1..2**64-1 (0 would mean unseeded)")
        request.random_seed = random_seed
    if frozen_time is not None:
        if isinstance(frozen_time, _dt.datetime):
            if frozen_time.tzinfo is None:
                frozen_time = frozen_time.replace(tzinfo=_dt.timezone.utc)
            millis = round(frozen_time.timestamp() * 1000)
        elif isinstance(frozen_time, (int, float)) and not isinstance(frozen_time, bool):
            millis = round(frozen_time)
        else:
            raise TypeError("frozen_time must be a datetime or epoch milliseconds")
        if millis == 0:
            raise ValueError("frozen_time 0 would mean the real clock")
        request.frozen_time_ms = millis
    if browser:
        if "profile" not in request.DESCRIPTOR.fields_by_name:
            raise ValueError("a call runs in its program's context: set browser on the "
                             "program (load_program) or the session")
        request.profile = pb.PROFILE_BROWSER
        if not isinstance(browser, bool):
            for name, value in browser.items():
                if name not in _BROWSER_FIELDS:
                    raise TypeError(f"unknown browser field {name!r} "
                                    f"(one of {', '.join(sorted(_BROWSER_FIELDS))})")
                if name == "languages":
                    request.browser.languages.extend(value)
                else:
                    setattr(request.browser, name, value)
    if probe:
        if "probe" not in request.DESCRIPTOR.fields_by_name:
            raise ValueError("probe is for evaluations and program calls, not sessions")
        request.probe = True


class ExecStats(NamedTuple):
    """Where and how long a job ran (seconds)."""

    worker: int
    queue_wait: float
    wall_time: float
    cpu_time: float


class Result:
    """The whole outcome of a successful evaluation or call.

    Attributes:
        value: The result as a Python value (see :mod:`jscore.values`).
        undefined: The script's result was ``undefined`` (``value`` is then ``None``).
        console: The script's console output.
        console_truncated: The daemon cut the console output at its bound.
        stats: Worker, queue wait, wall and CPU time.
        probed_missing: With ``probe=True``: the globals (and ``navigator.*``,
            ``document.*``, ``screen.*`` properties) the script read but found
            undefined, in first-read order.
        response: The raw ``EvaluateResponse``.
    """

    __slots__ = (
        "value", "undefined", "console", "console_truncated", "stats", "probed_missing",
        "response",
    )

    def __init__(self, response: pb.EvaluateResponse) -> None:
        self.response = response
        self.value: Any = decoded_value(response)
        self.undefined: bool = response.undefined
        self.console: List[ConsoleLine] = console_of(response)
        self.console_truncated: bool = response.console_truncated
        self.probed_missing: List[str] = list(response.probed_missing)
        s = response.stats
        self.stats = ExecStats(
            worker=s.worker,
            queue_wait=s.queue_wait.ToNanoseconds() / 1e9,
            wall_time=s.wall_time.ToNanoseconds() / 1e9,
            cpu_time=s.cpu_time.ToNanoseconds() / 1e9,
        )

    def __repr__(self) -> str:
        return f"Result(value={self.value!r}, console={self.console!r})"


def console_of(response: pb.EvaluateResponse) -> List[ConsoleLine]:
    """The console lines of a response."""
    return [ConsoleLine(_LEVELS.get(line.level, "log"), line.text) for line in response.console]


def error_of(response: pb.EvaluateResponse) -> Optional[Error]:
    """The exception a response stands for (``JsError``, ``Hooked``), or ``None``."""
    which = response.WhichOneof("result")
    if which == "error":
        e = response.error
        return js_error(
            e.name, e.message, e.stack, e.line, e.column, e.source_line, console_of(response),
            thrown=json_values.decode(e.thrown) if e.HasField("thrown") else None,
            has_thrown=e.HasField("thrown"),
        )
    if which == "hook_data":
        return Hooked(decode(response.hook_data, response.annotations), console_of(response))
    if which == "hook_data_json":
        return Hooked(json_values.decode(response.hook_data_json), console_of(response))
    return None


def decoded_value(response: pb.EvaluateResponse) -> Any:
    """The Python value of a response's result, in either encoding."""
    if response.WhichOneof("result") == "value_json":
        return json_values.decode(response.value_json)
    return decode(response.value, response.annotations)


def value_of(response: pb.EvaluateResponse) -> Any:
    """The Python value of a response, or raises its ``JsError``/``Hooked``."""
    if response.WhichOneof("result") == "value_json":  # the common case, checked once
        return json_values.decode(response.value_json)
    error = error_of(response)
    if error is not None:
        raise error
    return decoded_value(response)


def result_of(response: pb.EvaluateResponse) -> Result:
    """The :class:`Result` of a response, or raises its ``JsError``/``Hooked``."""
    error = error_of(response)
    if error is not None:
        raise error
    return Result(response)


def batch_error(code: int, message: str) -> Error:
    """The exception for a failed batch item (its ``code`` and ``message``)."""
    return error_for_status(status_code_from_int(code), message)


def check_load_response(response: pb.LoadProgramResponse) -> str:
    """The program id of a ``LoadProgramResponse``, or raises the ``JsError`` it holds."""
    if response.HasField("error"):
        e = response.error
        raise js_error(e.name, e.message, e.stack, e.line, e.column, e.source_line)
    return response.program


def check_session_response(response: pb.CreateSessionResponse) -> Tuple[str, int, str]:
    """``(session id, worker, replica)`` of a ``CreateSessionResponse``, or raises its
    ``JsError``."""
    if response.HasField("error"):
        e = response.error
        raise js_error(e.name, e.message, e.stack, e.line, e.column, e.source_line)
    return response.session, response.worker, response.replica


def is_program_not_loaded(error: Error) -> bool:
    """The daemon does not hold the program: re-send ``LoadProgram``, then retry."""
    return (
        error.code == grpc.StatusCode.FAILED_PRECONDITION
        and error.detail is not None
        and error.detail.reason == pb.ErrorDetail.PROGRAM_NOT_LOADED
    )
