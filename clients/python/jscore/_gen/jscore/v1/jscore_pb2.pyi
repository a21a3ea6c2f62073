from google.protobuf import duration_pb2 as _duration_pb2
from google.protobuf import struct_pb2 as _struct_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from typing import ClassVar as _ClassVar, Iterable as _Iterable, Mapping as _Mapping, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor
EXTENSIONS_DEFAULT: Extensions
EXTENSIONS_NONE: Extensions
PROFILE_BROWSER: Profile
PROFILE_DEFAULT: Profile
SOURCE_TYPE_COMMONJS: SourceType
SOURCE_TYPE_MODULE: SourceType
SOURCE_TYPE_SCRIPT: SourceType
VALUE_ENCODING_JSON: ValueEncoding
VALUE_ENCODING_PROTOBUF: ValueEncoding

class BatchRequest(_message.Message):
    __slots__ = ["call", "evaluate", "id", "more", "packed_results"]
    CALL_FIELD_NUMBER: _ClassVar[int]
    EVALUATE_FIELD_NUMBER: _ClassVar[int]
    ID_FIELD_NUMBER: _ClassVar[int]
    MORE_FIELD_NUMBER: _ClassVar[int]
    PACKED_RESULTS_FIELD_NUMBER: _ClassVar[int]
    call: CallRequest
    evaluate: EvaluateRequest
    id: str
    more: _containers.RepeatedCompositeFieldContainer[BatchRequest]
    packed_results: bool
    def __init__(self, id: _Optional[str] = ..., evaluate: _Optional[_Union[EvaluateRequest, _Mapping]] = ..., call: _Optional[_Union[CallRequest, _Mapping]] = ..., more: _Optional[_Iterable[_Union[BatchRequest, _Mapping]]] = ..., packed_results: bool = ...) -> None: ...

class BatchResponse(_message.Message):
    __slots__ = ["code", "id", "message", "more", "result"]
    CODE_FIELD_NUMBER: _ClassVar[int]
    ID_FIELD_NUMBER: _ClassVar[int]
    MESSAGE_FIELD_NUMBER: _ClassVar[int]
    MORE_FIELD_NUMBER: _ClassVar[int]
    RESULT_FIELD_NUMBER: _ClassVar[int]
    code: int
    id: str
    message: str
    more: _containers.RepeatedCompositeFieldContainer[BatchResponse]
    result: EvaluateResponse
    def __init__(self, id: _Optional[str] = ..., code: _Optional[int] = ..., message: _Optional[str] = ..., result: _Optional[_Union[EvaluateResponse, _Mapping]] = ..., more: _Optional[_Iterable[_Union[BatchResponse, _Mapping]]] = ...) -> None: ...

class BrowserProfile(_message.Message):
    __slots__ = ["cookie", "languages", "platform", "referrer", "screen_height", "screen_width", "url", "user_agent"]
    COOKIE_FIELD_NUMBER: _ClassVar[int]
    LANGUAGES_FIELD_NUMBER: _ClassVar[int]
    PLATFORM_FIELD_NUMBER: _ClassVar[int]
    REFERRER_FIELD_NUMBER: _ClassVar[int]
    SCREEN_HEIGHT_FIELD_NUMBER: _ClassVar[int]
    SCREEN_WIDTH_FIELD_NUMBER: _ClassVar[int]
    URL_FIELD_NUMBER: _ClassVar[int]
    USER_AGENT_FIELD_NUMBER: _ClassVar[int]
    cookie: str
    languages: _containers.RepeatedScalarFieldContainer[str]
    platform: str
    referrer: str
    screen_height: int
    screen_width: int
    url: str
    user_agent: str
    def __init__(self, user_agent: _Optional[str] = ..., url: _Optional[str] = ..., cookie: _Optional[str] = ..., languages: _Optional[_Iterable[str]] = ..., screen_width: _Optional[int] = ..., screen_height: _Optional[int] = ..., referrer: _Optional[str] = ..., platform: _Optional[str] = ...) -> None: ...

class CallRequest(_message.Message):
    __slots__ = ["args", "args_json", "fresh", "frozen_time_ms", "function", "probe", "program", "random_seed", "session", "timeout", "value_encoding"]
    ARGS_FIELD_NUMBER: _ClassVar[int]
    ARGS_JSON_FIELD_NUMBER: _ClassVar[int]
    FRESH_FIELD_NUMBER: _ClassVar[int]
    FROZEN_TIME_MS_FIELD_NUMBER: _ClassVar[int]
    FUNCTION_FIELD_NUMBER: _ClassVar[int]
    PROBE_FIELD_NUMBER: _ClassVar[int]
    PROGRAM_FIELD_NUMBER: _ClassVar[int]
    RANDOM_SEED_FIELD_NUMBER: _ClassVar[int]
    SESSION_FIELD_NUMBER: _ClassVar[int]
    TIMEOUT_FIELD_NUMBER: _ClassVar[int]
    VALUE_ENCODING_FIELD_NUMBER: _ClassVar[int]
    args: _containers.RepeatedCompositeFieldContainer[_struct_pb2.Value]
    args_json: JsValue
    fresh: bool
    frozen_time_ms: int
    function: str
    probe: bool
    program: str
    random_seed: int
    session: str
    timeout: _duration_pb2.Duration
    value_encoding: ValueEncoding
    def __init__(self, program: _Optional[str] = ..., session: _Optional[str] = ..., function: _Optional[str] = ..., args: _Optional[_Iterable[_Union[_struct_pb2.Value, _Mapping]]] = ..., timeout: _Optional[_Union[_duration_pb2.Duration, _Mapping]] = ..., fresh: bool = ..., random_seed: _Optional[int] = ..., frozen_time_ms: _Optional[int] = ..., probe: bool = ..., args_json: _Optional[_Union[JsValue, _Mapping]] = ..., value_encoding: _Optional[_Union[ValueEncoding, str]] = ...) -> None: ...

class ConsoleLine(_message.Message):
    __slots__ = ["level", "text"]
    class Level(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
        __slots__ = []
    DEBUG: ConsoleLine.Level
    ERROR: ConsoleLine.Level
    INFO: ConsoleLine.Level
    LEVEL_FIELD_NUMBER: _ClassVar[int]
    LOG: ConsoleLine.Level
    TEXT_FIELD_NUMBER: _ClassVar[int]
    TRACE: ConsoleLine.Level
    WARN: ConsoleLine.Level
    level: ConsoleLine.Level
    text: str
    def __init__(self, level: _Optional[_Union[ConsoleLine.Level, str]] = ..., text: _Optional[str] = ...) -> None: ...

class CreateSessionRequest(_message.Message):
    __slots__ = ["browser", "extensions", "frozen_time_ms", "profile", "program", "random_seed", "source", "ttl"]
    BROWSER_FIELD_NUMBER: _ClassVar[int]
    EXTENSIONS_FIELD_NUMBER: _ClassVar[int]
    FROZEN_TIME_MS_FIELD_NUMBER: _ClassVar[int]
    PROFILE_FIELD_NUMBER: _ClassVar[int]
    PROGRAM_FIELD_NUMBER: _ClassVar[int]
    RANDOM_SEED_FIELD_NUMBER: _ClassVar[int]
    SOURCE_FIELD_NUMBER: _ClassVar[int]
    TTL_FIELD_NUMBER: _ClassVar[int]
    browser: BrowserProfile
    extensions: Extensions
    frozen_time_ms: int
    profile: Profile
    program: str
    random_seed: int
    source: str
    ttl: _duration_pb2.Duration
    def __init__(self, program: _Optional[str] = ..., source: _Optional[str] = ..., ttl: _Optional[_Union[_duration_pb2.Duration, _Mapping]] = ..., extensions: _Optional[_Union[Extensions, str]] = ..., random_seed: _Optional[int] = ..., frozen_time_ms: _Optional[int] = ..., profile: _Optional[_Union[Profile, str]] = ..., browser: _Optional[_Union[BrowserProfile, _Mapping]] = ...) -> None: ...

class CreateSessionResponse(_message.Message):
    __slots__ = ["error", "replica", "session", "worker"]
    ERROR_FIELD_NUMBER: _ClassVar[int]
    REPLICA_FIELD_NUMBER: _ClassVar[int]
    SESSION_FIELD_NUMBER: _ClassVar[int]
    WORKER_FIELD_NUMBER: _ClassVar[int]
    error: JsError
    replica: str
    session: str
    worker: int
    def __init__(self, session: _Optional[str] = ..., worker: _Optional[int] = ..., error: _Optional[_Union[JsError, _Mapping]] = ..., replica: _Optional[str] = ...) -> None: ...

class DeleteSessionRequest(_message.Message):
    __slots__ = ["session"]
    SESSION_FIELD_NUMBER: _ClassVar[int]
    session: str
    def __init__(self, session: _Optional[str] = ...) -> None: ...

class DeleteSessionResponse(_message.Message):
    __slots__ = []
    def __init__(self) -> None: ...

class ErrorDetail(_message.Message):
    __slots__ = ["program", "reason", "replica"]
    class Reason(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
        __slots__ = []
    PROGRAM_FIELD_NUMBER: _ClassVar[int]
    PROGRAM_NOT_LOADED: ErrorDetail.Reason
    REASON_FIELD_NUMBER: _ClassVar[int]
    REASON_UNSPECIFIED: ErrorDetail.Reason
    REPLICA_FIELD_NUMBER: _ClassVar[int]
    program: str
    reason: ErrorDetail.Reason
    replica: str
    def __init__(self, reason: _Optional[_Union[ErrorDetail.Reason, str]] = ..., program: _Optional[str] = ..., replica: _Optional[str] = ...) -> None: ...

class EvaluateRequest(_message.Message):
    __slots__ = ["browser", "extensions", "filename", "frozen_time_ms", "globals", "globals_json", "modules", "probe", "profile", "random_seed", "session", "source", "timeout", "type", "value_encoding"]
    class GlobalsEntry(_message.Message):
        __slots__ = ["key", "value"]
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: _struct_pb2.Value
        def __init__(self, key: _Optional[str] = ..., value: _Optional[_Union[_struct_pb2.Value, _Mapping]] = ...) -> None: ...
    class ModulesEntry(_message.Message):
        __slots__ = ["key", "value"]
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: str
        def __init__(self, key: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...
    BROWSER_FIELD_NUMBER: _ClassVar[int]
    EXTENSIONS_FIELD_NUMBER: _ClassVar[int]
    FILENAME_FIELD_NUMBER: _ClassVar[int]
    FROZEN_TIME_MS_FIELD_NUMBER: _ClassVar[int]
    GLOBALS_FIELD_NUMBER: _ClassVar[int]
    GLOBALS_JSON_FIELD_NUMBER: _ClassVar[int]
    MODULES_FIELD_NUMBER: _ClassVar[int]
    PROBE_FIELD_NUMBER: _ClassVar[int]
    PROFILE_FIELD_NUMBER: _ClassVar[int]
    RANDOM_SEED_FIELD_NUMBER: _ClassVar[int]
    SESSION_FIELD_NUMBER: _ClassVar[int]
    SOURCE_FIELD_NUMBER: _ClassVar[int]
    TIMEOUT_FIELD_NUMBER: _ClassVar[int]
    TYPE_FIELD_NUMBER: _ClassVar[int]
    VALUE_ENCODING_FIELD_NUMBER: _ClassVar[int]
    browser: BrowserProfile
    extensions: Extensions
    filename: str
    frozen_time_ms: int
    globals: _containers.MessageMap[str, _struct_pb2.Value]
    globals_json: JsValue
    modules: _containers.ScalarMap[str, str]
    probe: bool
    profile: Profile
    random_seed: int
    session: str
    source: str
    timeout: _duration_pb2.Duration
    type: SourceType
    value_encoding: ValueEncoding
    def __init__(self, source: _Optional[str] = ..., filename: _Optional[str] = ..., globals: _Optional[_Mapping[str, _struct_pb2.Value]] = ..., timeout: _Optional[_Union[_duration_pb2.Duration, _Mapping]] = ..., session: _Optional[str] = ..., extensions: _Optional[_Union[Extensions, str]] = ..., random_seed: _Optional[int] = ..., frozen_time_ms: _Optional[int] = ..., profile: _Optional[_Union[Profile, str]] = ..., browser: _Optional[_Union[BrowserProfile, _Mapping]] = ..., probe: bool = ..., globals_json: _Optional[_Union[JsValue, _Mapping]] = ..., value_encoding: _Optional[_Union[ValueEncoding, str]] = ..., type: _Optional[_Union[SourceType, str]] = ..., modules: _Optional[_Mapping[str, str]] = ...) -> None: ...

class EvaluateResponse(_message.Message):
    __slots__ = ["annotations", "console", "console_truncated", "error", "hook_data", "hook_data_json", "probed_missing", "stats", "undefined", "value", "value_json"]
    ANNOTATIONS_FIELD_NUMBER: _ClassVar[int]
    CONSOLE_FIELD_NUMBER: _ClassVar[int]
    CONSOLE_TRUNCATED_FIELD_NUMBER: _ClassVar[int]
    ERROR_FIELD_NUMBER: _ClassVar[int]
    HOOK_DATA_FIELD_NUMBER: _ClassVar[int]
    HOOK_DATA_JSON_FIELD_NUMBER: _ClassVar[int]
    PROBED_MISSING_FIELD_NUMBER: _ClassVar[int]
    STATS_FIELD_NUMBER: _ClassVar[int]
    UNDEFINED_FIELD_NUMBER: _ClassVar[int]
    VALUE_FIELD_NUMBER: _ClassVar[int]
    VALUE_JSON_FIELD_NUMBER: _ClassVar[int]
    annotations: _containers.RepeatedCompositeFieldContainer[TypeAnnotation]
    console: _containers.RepeatedCompositeFieldContainer[ConsoleLine]
    console_truncated: bool
    error: JsError
    hook_data: _struct_pb2.Value
    hook_data_json: JsValue
    probed_missing: _containers.RepeatedScalarFieldContainer[str]
    stats: ExecStats
    undefined: bool
    value: _struct_pb2.Value
    value_json: JsValue
    def __init__(self, value: _Optional[_Union[_struct_pb2.Value, _Mapping]] = ..., error: _Optional[_Union[JsError, _Mapping]] = ..., hook_data: _Optional[_Union[_struct_pb2.Value, _Mapping]] = ..., value_json: _Optional[_Union[JsValue, _Mapping]] = ..., hook_data_json: _Optional[_Union[JsValue, _Mapping]] = ..., undefined: bool = ..., stats: _Optional[_Union[ExecStats, _Mapping]] = ..., console: _Optional[_Iterable[_Union[ConsoleLine, _Mapping]]] = ..., annotations: _Optional[_Iterable[_Union[TypeAnnotation, _Mapping]]] = ..., console_truncated: bool = ..., probed_missing: _Optional[_Iterable[str]] = ...) -> None: ...

class ExecStats(_message.Message):
    __slots__ = ["cpu_time", "queue_wait", "wall_time", "worker"]
    CPU_TIME_FIELD_NUMBER: _ClassVar[int]
    QUEUE_WAIT_FIELD_NUMBER: _ClassVar[int]
    WALL_TIME_FIELD_NUMBER: _ClassVar[int]
    WORKER_FIELD_NUMBER: _ClassVar[int]
    cpu_time: _duration_pb2.Duration
    queue_wait: _duration_pb2.Duration
    wall_time: _duration_pb2.Duration
    worker: int
    def __init__(self, queue_wait: _Optional[_Union[_duration_pb2.Duration, _Mapping]] = ..., wall_time: _Optional[_Union[_duration_pb2.Duration, _Mapping]] = ..., cpu_time: _Optional[_Union[_duration_pb2.Duration, _Mapping]] = ..., worker: _Optional[int] = ...) -> None: ...

class GetStatsRequest(_message.Message):
    __slots__ = []
    def __init__(self) -> None: ...

class GetStatsResponse(_message.Message):
    __slots__ = ["jobs_completed", "jobs_rejected", "programs", "queue_capacity", "queue_depth", "replica", "requests", "sessions", "timeouts", "version", "workers"]
    JOBS_COMPLETED_FIELD_NUMBER: _ClassVar[int]
    JOBS_REJECTED_FIELD_NUMBER: _ClassVar[int]
    PROGRAMS_FIELD_NUMBER: _ClassVar[int]
    QUEUE_CAPACITY_FIELD_NUMBER: _ClassVar[int]
    QUEUE_DEPTH_FIELD_NUMBER: _ClassVar[int]
    REPLICA_FIELD_NUMBER: _ClassVar[int]
    REQUESTS_FIELD_NUMBER: _ClassVar[int]
    SESSIONS_FIELD_NUMBER: _ClassVar[int]
    TIMEOUTS_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    WORKERS_FIELD_NUMBER: _ClassVar[int]
    jobs_completed: int
    jobs_rejected: int
    programs: int
    queue_capacity: int
    queue_depth: int
    replica: str
    requests: _containers.RepeatedCompositeFieldContainer[RequestCount]
    sessions: int
    timeouts: int
    version: str
    workers: _containers.RepeatedCompositeFieldContainer[WorkerStats]
    def __init__(self, workers: _Optional[_Iterable[_Union[WorkerStats, _Mapping]]] = ..., queue_depth: _Optional[int] = ..., queue_capacity: _Optional[int] = ..., jobs_completed: _Optional[int] = ..., jobs_rejected: _Optional[int] = ..., timeouts: _Optional[int] = ..., version: _Optional[str] = ..., programs: _Optional[int] = ..., sessions: _Optional[int] = ..., requests: _Optional[_Iterable[_Union[RequestCount, _Mapping]]] = ..., replica: _Optional[str] = ...) -> None: ...

class JsError(_message.Message):
    __slots__ = ["column", "line", "message", "name", "source_line", "stack", "thrown"]
    COLUMN_FIELD_NUMBER: _ClassVar[int]
    LINE_FIELD_NUMBER: _ClassVar[int]
    MESSAGE_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    SOURCE_LINE_FIELD_NUMBER: _ClassVar[int]
    STACK_FIELD_NUMBER: _ClassVar[int]
    THROWN_FIELD_NUMBER: _ClassVar[int]
    column: int
    line: int
    message: str
    name: str
    source_line: str
    stack: str
    thrown: JsValue
    def __init__(self, name: _Optional[str] = ..., message: _Optional[str] = ..., stack: _Optional[str] = ..., line: _Optional[int] = ..., column: _Optional[int] = ..., source_line: _Optional[str] = ..., thrown: _Optional[_Union[JsValue, _Mapping]] = ...) -> None: ...

class JsValue(_message.Message):
    __slots__ = ["json", "types"]
    JSON_FIELD_NUMBER: _ClassVar[int]
    TYPES_FIELD_NUMBER: _ClassVar[int]
    json: str
    types: str
    def __init__(self, json: _Optional[str] = ..., types: _Optional[str] = ...) -> None: ...

class LoadProgramRequest(_message.Message):
    __slots__ = ["browser", "filename", "modules", "profile", "source", "type", "validate_only"]
    class ModulesEntry(_message.Message):
        __slots__ = ["key", "value"]
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: str
        def __init__(self, key: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...
    BROWSER_FIELD_NUMBER: _ClassVar[int]
    FILENAME_FIELD_NUMBER: _ClassVar[int]
    MODULES_FIELD_NUMBER: _ClassVar[int]
    PROFILE_FIELD_NUMBER: _ClassVar[int]
    SOURCE_FIELD_NUMBER: _ClassVar[int]
    TYPE_FIELD_NUMBER: _ClassVar[int]
    VALIDATE_ONLY_FIELD_NUMBER: _ClassVar[int]
    browser: BrowserProfile
    filename: str
    modules: _containers.ScalarMap[str, str]
    profile: Profile
    source: str
    type: SourceType
    validate_only: bool
    def __init__(self, source: _Optional[str] = ..., filename: _Optional[str] = ..., modules: _Optional[_Mapping[str, str]] = ..., validate_only: bool = ..., type: _Optional[_Union[SourceType, str]] = ..., profile: _Optional[_Union[Profile, str]] = ..., browser: _Optional[_Union[BrowserProfile, _Mapping]] = ...) -> None: ...

class LoadProgramResponse(_message.Message):
    __slots__ = ["error", "program"]
    ERROR_FIELD_NUMBER: _ClassVar[int]
    PROGRAM_FIELD_NUMBER: _ClassVar[int]
    error: JsError
    program: str
    def __init__(self, program: _Optional[str] = ..., error: _Optional[_Union[JsError, _Mapping]] = ...) -> None: ...

class RequestCount(_message.Message):
    __slots__ = ["code", "count", "method"]
    CODE_FIELD_NUMBER: _ClassVar[int]
    COUNT_FIELD_NUMBER: _ClassVar[int]
    METHOD_FIELD_NUMBER: _ClassVar[int]
    code: int
    count: int
    method: str
    def __init__(self, method: _Optional[str] = ..., code: _Optional[int] = ..., count: _Optional[int] = ...) -> None: ...

class TypeAnnotation(_message.Message):
    __slots__ = ["kind", "path"]
    class Kind(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
        __slots__ = []
    KIND_BIGINT: TypeAnnotation.Kind
    KIND_BYTES: TypeAnnotation.Kind
    KIND_DATE: TypeAnnotation.Kind
    KIND_FIELD_NUMBER: _ClassVar[int]
    KIND_INFINITY: TypeAnnotation.Kind
    KIND_MAP: TypeAnnotation.Kind
    KIND_NAN: TypeAnnotation.Kind
    KIND_SET: TypeAnnotation.Kind
    KIND_UNDEFINED: TypeAnnotation.Kind
    KIND_UNSPECIFIED: TypeAnnotation.Kind
    PATH_FIELD_NUMBER: _ClassVar[int]
    kind: TypeAnnotation.Kind
    path: str
    def __init__(self, path: _Optional[str] = ..., kind: _Optional[_Union[TypeAnnotation.Kind, str]] = ...) -> None: ...

class UnloadProgramRequest(_message.Message):
    __slots__ = ["program"]
    PROGRAM_FIELD_NUMBER: _ClassVar[int]
    program: str
    def __init__(self, program: _Optional[str] = ...) -> None: ...

class UnloadProgramResponse(_message.Message):
    __slots__ = []
    def __init__(self) -> None: ...

class WorkerStats(_message.Message):
    __slots__ = ["busy_seconds", "fetches_in_flight", "heap_limit_bytes", "heap_used_bytes", "id", "isolate_replacements", "jobs_completed", "jobs_in_flight", "prebuilt_contexts", "programs", "sessions"]
    BUSY_SECONDS_FIELD_NUMBER: _ClassVar[int]
    FETCHES_IN_FLIGHT_FIELD_NUMBER: _ClassVar[int]
    HEAP_LIMIT_BYTES_FIELD_NUMBER: _ClassVar[int]
    HEAP_USED_BYTES_FIELD_NUMBER: _ClassVar[int]
    ID_FIELD_NUMBER: _ClassVar[int]
    ISOLATE_REPLACEMENTS_FIELD_NUMBER: _ClassVar[int]
    JOBS_COMPLETED_FIELD_NUMBER: _ClassVar[int]
    JOBS_IN_FLIGHT_FIELD_NUMBER: _ClassVar[int]
    PREBUILT_CONTEXTS_FIELD_NUMBER: _ClassVar[int]
    PROGRAMS_FIELD_NUMBER: _ClassVar[int]
    SESSIONS_FIELD_NUMBER: _ClassVar[int]
    busy_seconds: float
    fetches_in_flight: int
    heap_limit_bytes: int
    heap_used_bytes: int
    id: int
    isolate_replacements: int
    jobs_completed: int
    jobs_in_flight: int
    prebuilt_contexts: int
    programs: int
    sessions: int
    def __init__(self, id: _Optional[int] = ..., jobs_completed: _Optional[int] = ..., jobs_in_flight: _Optional[int] = ..., heap_used_bytes: _Optional[int] = ..., heap_limit_bytes: _Optional[int] = ..., isolate_replacements: _Optional[int] = ..., programs: _Optional[int] = ..., sessions: _Optional[int] = ..., prebuilt_contexts: _Optional[int] = ..., busy_seconds: _Optional[float] = ..., fetches_in_flight: _Optional[int] = ...) -> None: ...

class Extensions(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = []

class Profile(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = []

class ValueEncoding(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = []

class SourceType(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = []
