"""Python values to and from ``jscore.v1.JsValue``: JSON text in key order plus a types tree.

The encoding the client uses both ways (arguments, globals, results, hook data,
thrown values). ``JsValue.json`` is UTF-8 JSON text with object keys in order;
``JsValue.types`` is empty for plain JSON, or a sparse tree, in the value's own shape,
naming the JS type of each place JSON cannot express. A node is ``"kind"`` (that place,
nothing annotated below it) or ``[kind or None, {key: node}]`` (children keyed by object
key, or by array index in decimal). Kinds: ``undefined``, ``bigint``, ``date``,
``bytes``, ``nan``, ``infinity``, ``-infinity``, ``map``, ``set``.

:func:`encode` (Python to JS) keeps a ``dict``'s order; see its docstring for the types.
:func:`decode` (JS to Python) gives the same Python types as :func:`jscore.values.decode`,
with every ``dict`` in JS order (the order ``Object.keys`` and ``JSON.stringify`` use).
"""

from __future__ import annotations

import datetime as _dt
import json
import math
from typing import Any, Dict, List, Mapping, Optional, Tuple

from jscore._proto import pb
from jscore.values import MAX_SAFE_INTEGER, _format_datetime, _parse_date

__all__ = ["decode", "encode", "encode_bytes", "encode_into", "types_paths", "varint"]

_MAX_DEPTH = 200

# A types node: a kind, or [kind or None, {key: node}]; None when nothing is annotated.
_Node = Any

_ENCODER = json.JSONEncoder(
    ensure_ascii=False, allow_nan=False, separators=(",", ":"), check_circular=False,
    default=lambda o: _plain_of(o),
)


def _c_dumps() -> Any:
    """``_ENCODER.encode`` with the C encoder built once (``encode`` builds one per
    call), or ``_ENCODER.encode`` itself where the C accelerator is missing."""
    make = getattr(json.encoder, "c_make_encoder", None)
    if make is None:
        return _ENCODER.encode
    e = _ENCODER
    strings = getattr(json.encoder, "encode_basestring")  # C's where there is one
    iterencode = make(None, e.default, strings, None, e.key_separator, e.item_separator,
                      e.sort_keys, e.skipkeys, e.allow_nan)
    join = "".join

    def dumps(obj: Any) -> str:
        return join(iterencode(obj, 0))

    return dumps


_DUMPS = _c_dumps()


# --- Python -> JsValue ---------------------------------------------------------------


def encode(obj: Any) -> pb.JsValue:
    """``obj`` as a ``JsValue``, every ``dict`` in its own iteration order.

    ==========================  ===================================================
    Python                      JS
    ==========================  ===================================================
    ``None``                    ``null``
    ``bool``, ``str``           boolean, string
    ``int``                     number within ±2**53, BigInt past it (exact)
    ``float``                   number; NaN and ±inf too
    ``dict`` / ``Mapping``      object, keys (``str`` only) in iteration order
    ``list``, ``tuple``         array
    ``set``, ``frozenset``      Set (in iteration order)
    ``bytes``, ``bytearray``,   Uint8Array
    ``memoryview``
    ``datetime``                Date (a naive datetime is taken as UTC)
    ``date``                    ISO-8601 date string (``"2024-01-02"``)
    ==========================  ===================================================

    Raises:
        ValueError: nesting deeper than 200 levels.
        TypeError: a type with no JS counterpart, or a ``dict`` key that is not a str.
    """
    value = pb.JsValue()
    encode_into(value, obj)
    return value


def encode_into(out: pb.JsValue, obj: Any) -> None:
    """Sets the fields of ``out`` (say ``request.args_json``) to :func:`encode`'s."""
    node, special_numbers = _scan(obj, 0)
    out.json = _DUMPS(_without_special_numbers(obj) if special_numbers else obj)
    if node is not None:
        out.types = _DUMPS(node)


def encode_bytes(obj: Any) -> bytes:
    """:func:`encode`'s ``JsValue``, serialized (its protobuf wire bytes), without
    building the message: what a request template appends."""
    node, special_numbers = _scan(obj, 0)
    text = _DUMPS(_without_special_numbers(obj) if special_numbers else obj).encode()
    out = b"\n" + varint(len(text)) + text  # field 1 (json), length-delimited
    if node is not None:
        types = _DUMPS(node).encode()
        out += b"\x12" + varint(len(types)) + types  # field 2 (types)
    return out


def varint(n: int) -> bytes:
    """``n`` (not negative) as a protobuf varint."""
    if n < 0x80:
        return bytes((n,))
    out = bytearray()
    while n >= 0x80:
        out.append((n & 0x7F) | 0x80)
        n >>= 7
    out.append(n)
    return bytes(out)


def _scan(obj: Any, depth: int) -> Tuple[_Node, bool]:
    """Checks ``obj`` and returns (its types node, whether it holds a number JSON
    cannot write: NaN, ±inf, an int past ±2**53)."""
    if depth > _MAX_DEPTH:
        raise ValueError(f"value is nested deeper than {_MAX_DEPTH} levels (does it contain a cycle?)")
    t = type(obj)
    if t is str or obj is None or t is bool:
        return None, False
    if t is dict:  # the common containers first, by exact type
        return _scan_items(obj.items(), depth, None, check_keys=True)
    if t is list:
        return _scan_items(enumerate(obj), depth, None, check_keys=False)
    if t is int or (isinstance(obj, int) and not isinstance(obj, bool)):
        if not -MAX_SAFE_INTEGER <= obj <= MAX_SAFE_INTEGER:
            return "bigint", True  # a JS number would not be exact
        return None, False
    if t is float or isinstance(obj, float):
        if math.isfinite(obj):
            return None, False
        if math.isnan(obj):
            return "nan", True
        return ("infinity" if obj > 0 else "-infinity"), True
    if isinstance(obj, str):
        return None, False
    if isinstance(obj, Mapping):
        return _scan_items(obj.items(), depth, None, check_keys=True)
    if isinstance(obj, (list, tuple)):
        return _scan_items(enumerate(obj), depth, None, check_keys=False)
    if isinstance(obj, (set, frozenset)):
        return _scan_items(enumerate(obj), depth, "set", check_keys=False)
    if isinstance(obj, (bytes, bytearray, memoryview)):
        return "bytes", False
    if isinstance(obj, _dt.datetime):
        return "date", False
    if isinstance(obj, _dt.date):
        return None, False
    raise TypeError(f"cannot pass a {type(obj).__name__} to JavaScript: {obj!r}")


def _scan_items(items: Any, depth: int, kind: Optional[str], check_keys: bool) -> Tuple[_Node, bool]:
    children: Optional[Dict[str, _Node]] = None
    special = False
    for key, item in items:
        if check_keys and type(key) is not str and not isinstance(key, str):
            raise TypeError(f"object keys must be str, not {type(key).__name__} ({key!r})")
        t = type(item)  # the plain leaves, checked here without a call
        if t is str or t is bool or item is None:
            continue
        if t is int:
            if -MAX_SAFE_INTEGER <= item <= MAX_SAFE_INTEGER:
                continue
        elif t is float and item - item == 0.0:  # finite (inf - inf and NaN are NaN)
            continue
        node, item_special = _scan(item, depth + 1)
        special = special or item_special
        if node is not None:
            if children is None:
                children = {}
            children[key if check_keys else str(key)] = node
    if children is None:
        return kind, special
    return [kind, children], special


def _plain_of(obj: Any) -> Any:
    """The JSON form of a value ``json`` cannot write itself (called by the encoder)."""
    if isinstance(obj, Mapping):
        return dict(obj.items())
    if isinstance(obj, (set, frozenset, tuple)):
        return list(obj)
    if isinstance(obj, (bytes, bytearray, memoryview)):
        return list(bytes(obj))
    if isinstance(obj, _dt.datetime):
        return _format_datetime(obj)
    if isinstance(obj, _dt.date):
        return obj.isoformat()
    raise TypeError(f"cannot pass a {type(obj).__name__} to JavaScript: {obj!r}")


def _without_special_numbers(obj: Any) -> Any:
    """A copy of ``obj`` with NaN and ±inf as ``None`` and ints past ±2**53 as decimal
    strings (JSON has no such numbers; the types tree says what they are)."""
    if isinstance(obj, float) and not math.isfinite(obj):
        return None
    if isinstance(obj, int) and not isinstance(obj, bool) and not -MAX_SAFE_INTEGER <= obj <= MAX_SAFE_INTEGER:
        return str(int(obj))
    if isinstance(obj, Mapping):
        return {k: _without_special_numbers(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple, set, frozenset)):
        return [_without_special_numbers(v) for v in obj]
    return obj


# --- JsValue -> Python ---------------------------------------------------------------


def _parse_int(text: str) -> Any:
    n = int(text)
    return n if -MAX_SAFE_INTEGER <= n <= MAX_SAFE_INTEGER else float(n)


# One decoder for every call (json.loads with keyword arguments builds a new one each time).
_LOADS = json.JSONDecoder(parse_int=_parse_int).decode


def decode(value: pb.JsValue) -> Any:
    """The Python value of a ``JsValue`` (an empty one is ``None``).

    Integral numbers within ±2**53 become ``int``, other numbers ``float``; objects
    are ``dict`` in JS key order; the types tree gives ``None`` (undefined), ``int``
    (BigInt), aware UTC ``datetime`` (Date; ``None`` if invalid, the ISO string if
    the year is outside 1..9999), ``bytes``, NaN and ±inf ``float``, ``dict`` (Map)
    and ``set`` (Set; a ``list`` if its items are not hashable and distinct).
    """
    text = value.json
    if not text:
        return None
    result = _LOADS(text)
    if value.types:
        result = _apply(result, json.loads(value.types))
    return result


def _apply(value: Any, node: _Node) -> Any:
    if isinstance(node, str):
        return _rebuild(node, value)
    if not isinstance(node, list) or len(node) != 2 or not isinstance(node[1], dict):
        return value  # not a node this client knows: the plain value stands
    kind, children = node
    if isinstance(value, dict):
        for key, child in children.items():
            if key in value:
                value[key] = _apply(value[key], child)
    elif isinstance(value, list):
        for key, child in children.items():
            if key.isdigit() and int(key) < len(value):
                index = int(key)
                value[index] = _apply(value[index], child)
    return _rebuild(kind, value) if isinstance(kind, str) else value


def _rebuild(kind: str, value: Any) -> Any:
    if kind == "undefined":
        return None
    if kind == "bigint":
        if isinstance(value, str):
            try:
                return int(value)
            except ValueError:
                return value
        return value
    if kind == "date":
        return _parse_date(value) if isinstance(value, str) else value
    if kind == "bytes":
        if isinstance(value, list) and all(type(b) is int and 0 <= b < 256 for b in value):
            return bytes(value)
        return value
    if kind == "nan":
        return math.nan
    if kind == "infinity":
        return math.inf
    if kind == "-infinity":
        return -math.inf
    if kind == "set" and isinstance(value, list):
        try:
            as_set = set(value)
        except TypeError:
            return value
        return as_set if len(as_set) == len(value) else value
    return value  # "map" is already a dict; unknown kinds leave the plain value


def types_paths(types: str) -> List[Tuple[str, str]]:
    """The types tree of a ``JsValue`` as ``(JSON Pointer, kind)`` pairs, parents first."""
    if not types:
        return []
    out: List[Tuple[str, str]] = []

    def walk(node: _Node, path: str) -> None:
        if isinstance(node, str):
            out.append((path, node))
            return
        kind, children = node
        if kind is not None:
            out.append((path, kind))
        for key, child in children.items():
            walk(child, path + "/" + key.replace("~", "~0").replace("/", "~1"))

    walk(json.loads(types), "")
    return out
