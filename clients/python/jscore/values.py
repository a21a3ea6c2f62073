"""Python values to and from ``google.protobuf.Value``, losslessly where JS allows.

Results come back as ``google.protobuf.Value`` plus *annotations*: a JSON Pointer
(RFC 6901) into the value and the JS kind found there. :func:`decode` rebuilds the
Python value:

==================  ==========================================================
JS                  Python
==================  ==========================================================
number              ``int`` when integral and within ±2**53, else ``float``
NaN, ±Infinity      ``float('nan')``, ``float('inf')``, ``float('-inf')``
BigInt              ``int`` (any size)
Date                timezone-aware UTC ``datetime`` (``None`` if invalid; the ISO
                    string if the year is outside 1..9999)
ArrayBuffer,        ``bytes``
Uint8Array,
DataView
Map                 ``dict`` (keys are strings: the daemon stringifies them)
Set                 ``set`` when every element is hashable and distinct in
                    Python, else ``list``
undefined           ``None``
==================  ==========================================================

:func:`to_value` goes the other way for globals and arguments: ``None``, ``bool``,
``int`` (within ±2**53), ``float`` (NaN and infinities too), ``str``, ``bytes`` (a list
of byte numbers), ``list``/``tuple``/``set``, ``dict`` with ``str`` keys, and
``datetime``/``date`` (ISO-8601 strings; a naive datetime is taken as UTC).
"""

from __future__ import annotations

import datetime as _dt
import math
import re
from typing import Any, Iterable, List, Mapping, Optional, Sequence, Tuple

from jscore._proto import pb, struct_pb2

__all__ = ["MAX_SAFE_INTEGER", "apply_annotations", "decode", "fill_value", "from_value", "to_value"]

MAX_SAFE_INTEGER = 2**53
"""Largest integer a JS number holds exactly; larger ``int`` arguments must be strings."""

_MAX_DEPTH = 200
_Kind = pb.TypeAnnotation.Kind
_UTC = _dt.timezone.utc
_DATE_RE = re.compile(
    r"^([+-]?\d+)-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)(?:\.(\d{1,6}))?(Z|[+-]\d\d:\d\d)?$"
)


# --- Python -> Value ---------------------------------------------------------------


def to_value(obj: Any) -> struct_pb2.Value:
    """Returns ``obj`` as a new ``google.protobuf.Value``.

    Raises:
        ValueError: an ``int`` outside ±2**53 (pass it as a string, and ``BigInt(s)``
            in JS), or nesting deeper than 200 levels (a cycle?).
        TypeError: a type that has no JS counterpart, or a ``dict`` key that is not a str.
    """
    value = struct_pb2.Value()
    fill_value(value, obj)
    return value


def fill_value(out: struct_pb2.Value, obj: Any, _depth: int = 0) -> None:
    """Sets the empty ``Value`` message ``out`` to ``obj`` (see :func:`to_value`)."""
    if _depth > _MAX_DEPTH:
        raise ValueError("value is nested deeper than 200 levels (does it contain a cycle?)")
    if obj is None:
        out.null_value = struct_pb2.NULL_VALUE
    elif obj is True or obj is False:
        out.bool_value = obj
    elif isinstance(obj, str):
        out.string_value = obj
    elif isinstance(obj, int) and not isinstance(obj, bool):
        if not -MAX_SAFE_INTEGER <= obj <= MAX_SAFE_INTEGER:
            raise ValueError(
                f"integer {obj} is outside ±2**53 and cannot be a JS number exactly; "
                "pass it as a string (str(n)) and convert it in JS with BigInt(s)"
            )
        out.number_value = obj
    elif isinstance(obj, float):
        out.number_value = obj
    elif isinstance(obj, (bytes, bytearray, memoryview)):
        values = out.list_value.values
        out.list_value.SetInParent()
        for b in bytes(obj):
            values.add().number_value = b
    elif isinstance(obj, _dt.datetime):
        out.string_value = _format_datetime(obj)
    elif isinstance(obj, _dt.date):
        out.string_value = obj.isoformat()
    elif isinstance(obj, Mapping):
        fields = out.struct_value.fields
        out.struct_value.SetInParent()
        for key, item in obj.items():
            if not isinstance(key, str):
                raise TypeError(f"object keys must be str, not {type(key).__name__} ({key!r})")
            fill_value(fields[key], item, _depth + 1)
    elif isinstance(obj, (list, tuple, set, frozenset)):
        values = out.list_value.values
        out.list_value.SetInParent()
        for item in obj:
            fill_value(values.add(), item, _depth + 1)
    else:
        raise TypeError(f"cannot pass a {type(obj).__name__} to JavaScript: {obj!r}")


def _format_datetime(value: _dt.datetime) -> str:
    if value.tzinfo is None:
        value = value.replace(tzinfo=_UTC)
    text = value.astimezone(_UTC).isoformat(timespec="milliseconds")
    return text[: -len("+00:00")] + "Z"


# --- Value -> Python ---------------------------------------------------------------


def from_value(value: struct_pb2.Value) -> Any:
    """The plain Python form of a ``Value``, without annotations.

    Integral numbers within ±2**53 become ``int``; everything else maps as JSON does.
    """
    kind = value.WhichOneof("kind")
    if kind == "number_value":
        n = value.number_value
        if n.is_integer() and -MAX_SAFE_INTEGER <= n <= MAX_SAFE_INTEGER:
            return int(n)
        return n
    if kind == "string_value":
        return value.string_value
    if kind == "bool_value":
        return value.bool_value
    if kind == "struct_value":
        return {k: from_value(v) for k, v in value.struct_value.fields.items()}
    if kind == "list_value":
        return [from_value(v) for v in value.list_value.values]
    return None  # null_value, or unset


def decode(value: struct_pb2.Value, annotations: Sequence[Any] = ()) -> Any:
    """The Python value of a result: :func:`from_value` then :func:`apply_annotations`."""
    result = from_value(value)
    if annotations:
        result = apply_annotations(result, ((a.path, a.kind) for a in annotations))
    return result


def apply_annotations(value: Any, annotations: Iterable[Tuple[str, int]]) -> Any:
    """Rebuilds JS types in ``value`` from ``(JSON Pointer, TypeAnnotation.Kind)`` pairs.

    The deepest paths are applied first, so a Set of Dates first gets its datetimes,
    then becomes a set. An annotation whose path or value does not fit is ignored: the
    plain JSON-like value is still the right answer then.
    """
    parsed: List[Tuple[List[str], int]] = []
    for path, kind in annotations:
        tokens = _parse_pointer(path)
        if tokens is not None:
            parsed.append((tokens, kind))
    parsed.sort(key=lambda item: -len(item[0]))
    box: List[Any] = [value]
    for tokens, kind in parsed:
        container: Any = box
        key: Any = 0
        for token in tokens:
            current = container[key]
            if isinstance(current, list):
                if not token.isdigit() or int(token) >= len(current):
                    break
                container, key = current, int(token)
            elif isinstance(current, dict):
                if token not in current:
                    break
                container, key = current, token
            else:
                break
        else:
            container[key] = _rebuild(kind, container[key])
    return box[0]


def _parse_pointer(path: str) -> Optional[List[str]]:
    if path == "":
        return []
    if not path.startswith("/"):
        return None
    return [t.replace("~1", "/").replace("~0", "~") for t in path[1:].split("/")]


def _rebuild(kind: int, value: Any) -> Any:
    if kind == _Kind.KIND_UNDEFINED:
        return None
    if kind == _Kind.KIND_BIGINT:
        if isinstance(value, str):
            try:
                return int(value)
            except ValueError:
                return value
        return value
    if kind == _Kind.KIND_DATE:
        return _parse_date(value) if isinstance(value, str) else value
    if kind == _Kind.KIND_BYTES:
        if isinstance(value, list) and all(isinstance(b, int) and 0 <= b < 256 for b in value):
            return bytes(value)
        return value
    if kind == _Kind.KIND_NAN:
        return math.nan
    if kind == _Kind.KIND_INFINITY:
        if isinstance(value, (int, float)) and not math.isinf(value):
            return math.inf if value > 0 else -math.inf
        return value
    if kind == _Kind.KIND_SET:
        if isinstance(value, list):
            try:
                as_set = set(value)
            except TypeError:
                return value
            return as_set if len(as_set) == len(value) else value
        return value
    return value  # KIND_MAP is already a dict; unknown kinds stay as they are.


def _parse_date(text: str) -> Any:
    """An aware UTC datetime, or the text itself when Python cannot hold the date."""
    match = _DATE_RE.match(text)
    if match is None:
        return text
    year, month, day, hour, minute, second, fraction, zone = match.groups()
    try:
        parsed = _dt.datetime(
            int(year),
            int(month),
            int(day),
            int(hour),
            int(minute),
            int(second),
            int((fraction or "0").ljust(6, "0")),
            tzinfo=_UTC,
        )
    except ValueError:  # year 0, negative years, years past 9999
        return text
    if zone and zone != "Z":
        sign = 1 if zone[0] == "+" else -1
        offset = _dt.timedelta(hours=int(zone[1:3]), minutes=int(zone[4:6]))
        try:
            parsed = parsed - sign * offset
        except OverflowError:
            return text
    return parsed
