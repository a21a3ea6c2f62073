"""Value mapping: unit tests of jscore.values, and the round trip through a real daemon."""

from __future__ import annotations

import datetime as dt
import math

import pytest

import jscore
from jscore import values
from jscore._proto import pb

UTC = dt.timezone.utc
K = pb.TypeAnnotation


# --- without a daemon -------------------------------------------------------------------


def test_to_value_scalars_and_containers() -> None:
    v = values.to_value({"a": [None, True, 3, 1.5, "s", b"\x00\xff", (1,)], "e": [], "o": {}})
    assert values.from_value(v) == {"a": [None, True, 3, 1.5, "s", [0, 255], [1]], "e": [], "o": {}}
    assert v.struct_value.fields["e"].WhichOneof("kind") == "list_value"
    assert v.struct_value.fields["o"].WhichOneof("kind") == "struct_value"


def test_to_value_rejects_unsafe_ints_with_advice() -> None:
    assert values.from_value(values.to_value(2**53)) == 2**53
    assert values.from_value(values.to_value(-(2**53))) == -(2**53)
    with pytest.raises(ValueError, match="pass it as a string"):
        values.to_value(2**53 + 1)
    with pytest.raises(ValueError, match="pass it as a string"):
        values.to_value([-(2**70)])


def test_to_value_rejects_unknown_types_and_keys() -> None:
    with pytest.raises(TypeError, match="object keys must be str"):
        values.to_value({1: 2})
    with pytest.raises(TypeError, match="cannot pass a object"):
        values.to_value(object())
    cycle: list = []
    cycle.append(cycle)
    with pytest.raises(ValueError, match="cycle"):
        values.to_value(cycle)


def test_to_value_datetimes() -> None:
    aware = dt.datetime(2020, 1, 2, 4, 4, 5, 678901, tzinfo=dt.timezone(dt.timedelta(hours=1)))
    assert values.to_value(aware).string_value == "2020-01-02T03:04:05.678Z"
    assert values.to_value(dt.datetime(2020, 1, 2)).string_value == "2020-01-02T00:00:00.000Z"
    assert values.to_value(dt.date(2020, 1, 2)).string_value == "2020-01-02"


def test_numbers_become_int_when_integral_and_safe() -> None:
    def num(x: float) -> object:
        return values.from_value(values.to_value(x))

    assert type(num(3.0)) is int and num(3.0) == 3
    assert type(num(1.5)) is float
    assert type(num(2.0**53)) is int
    assert type(num(2.0**53 + 2)) is float
    assert math.isnan(num(math.nan))  # type: ignore[arg-type]
    assert num(math.inf) == math.inf and num(-math.inf) == -math.inf


def test_annotations_follow_json_pointers_with_escapes() -> None:
    raw = {"a/b": {"c~d": [None, "12345678901234567890123", "2020-01-02T03:04:05.006Z", [1, 2]]}}
    decoded = values.apply_annotations(
        raw,
        [
            ("/a~1b/c~0d/0", K.KIND_UNDEFINED),
            ("/a~1b/c~0d/1", K.KIND_BIGINT),
            ("/a~1b/c~0d/2", K.KIND_DATE),
            ("/a~1b/c~0d/3", K.KIND_BYTES),
        ],
    )
    assert decoded == {
        "a/b": {
            "c~d": [
                None,
                12345678901234567890123,
                dt.datetime(2020, 1, 2, 3, 4, 5, 6000, tzinfo=UTC),
                b"\x01\x02",
            ]
        }
    }


def test_annotations_deepest_first_and_sets() -> None:
    # A Set holding a Date: the Date is rebuilt before the Set becomes a set.
    assert values.apply_annotations(
        ["1970-01-01T00:00:00.000Z", "5"], [("", K.KIND_SET), ("/0", K.KIND_DATE), ("/1", K.KIND_BIGINT)]
    ) == {dt.datetime(1970, 1, 1, tzinfo=UTC), 5}
    # Unhashable elements, or elements Python would merge (1 and True), stay a list.
    assert values.apply_annotations([[1], [2]], [("", K.KIND_SET)]) == [[1], [2]]
    assert values.apply_annotations([1, True], [("", K.KIND_SET)]) == [1, True]


def test_annotations_that_do_not_fit_are_ignored() -> None:
    assert values.apply_annotations({"1": "x"}, [("/1", K.KIND_BIGINT)]) == {"1": "x"}
    assert values.apply_annotations([1], [("/5", K.KIND_UNDEFINED), ("bad", K.KIND_NAN)]) == [1]
    assert values.apply_annotations("+275760-09-13T00:00:00.000Z", [("", K.KIND_DATE)]) == (
        "+275760-09-13T00:00:00.000Z"
    )
    assert values.apply_annotations(None, [("", K.KIND_DATE)]) is None


def test_hook_data_raises_hooked() -> None:
    from jscore import _requests as rq

    response = pb.EvaluateResponse()
    response.hook_data.CopyFrom(values.to_value({"n": "42"}))
    response.annotations.add(path="/n", kind=K.KIND_BIGINT)
    response.console.add(level=pb.ConsoleLine.WARN, text="w")
    with pytest.raises(jscore.Hooked) as info:
        rq.value_of(response)
    assert info.value.data == {"n": 42}
    assert info.value.console == [jscore.ConsoleLine("warn", "w")]
    assert isinstance(info.value, jscore.Error) and info.value.code is None

    item = jscore.BatchResult(pb.BatchResponse(id="7", result=response))
    assert not item.ok and isinstance(item.error, jscore.Hooked)
    with pytest.raises(jscore.Hooked):
        item.value


def test_errors_pickle() -> None:
    import pickle

    import grpc

    e = jscore.JsError("TypeError", "bad", "TypeError: bad\n  at x", 1, 2, "src")
    back = pickle.loads(pickle.dumps(e))
    assert (back.name, back.message, back.line, back.column) == ("TypeError", "bad", 1, 2)
    t = pickle.loads(pickle.dumps(jscore.Timeout("late", grpc.StatusCode.DEADLINE_EXCEEDED)))
    assert isinstance(t, jscore.Timeout) and t.code == grpc.StatusCode.DEADLINE_EXCEEDED


# --- through the daemon ------------------------------------------------------------------


def test_every_annotation_kind(client: jscore.Client) -> None:
    got = client.evaluate(
        """({
          big: 2n ** 70n,
          negbig: -(2n ** 70n),
          date: new Date(Date.UTC(2020, 0, 2, 3, 4, 5, 678)),
          invalidDate: new Date(NaN),
          bytes: new Uint8Array([0, 1, 255]),
          buffer: new Uint8Array([7, 8]).buffer,
          view: new DataView(new Uint8Array([9]).buffer),
          nan: NaN, inf: Infinity, ninf: -Infinity,
          list: [1, undefined, 3],
          prop: undefined,
          map: new Map([["k", 1n], [2, new Date(0)]]),
          set: new Set(["a", 1, 2n]),
          setOfLists: new Set([[1], [2]]),
          "a/b": {"c~d": undefined},
          int: 3, float: 1.5, unsafe: 2 ** 53 + 2,
        })"""
    )
    assert got["big"] == 2**70 and type(got["big"]) is int
    assert got["negbig"] == -(2**70)
    assert got["date"] == dt.datetime(2020, 1, 2, 3, 4, 5, 678000, tzinfo=UTC)
    assert got["invalidDate"] is None
    assert got["bytes"] == b"\x00\x01\xff"
    assert got["buffer"] == b"\x07\x08"
    assert got["view"] == b"\x09"
    assert math.isnan(got["nan"])
    assert got["inf"] == math.inf and got["ninf"] == -math.inf
    assert got["list"] == [1, None, 3]
    assert got["prop"] is None
    assert got["map"] == {"k": 1, "2": dt.datetime(1970, 1, 1, tzinfo=UTC)}
    assert got["set"] == {"a", 1, 2}
    assert got["setOfLists"] == [[1], [2]]
    assert got["a/b"] == {"c~d": None}
    assert type(got["int"]) is int and type(got["float"]) is float
    assert got["unsafe"] == 2.0**53 + 2 and type(got["unsafe"]) is float


@pytest.mark.parametrize(
    "source, expected",
    [
        ("2n ** 70n", 2**70),
        ("undefined", None),
        ("null", None),
        ("[undefined]", [None]),
        ("new Map()", {}),
        ("new Set()", set()),
        ("new Uint8Array(0)", b""),
        ("'héllo ☃'", "héllo ☃"),
    ],
)
def test_top_level_values(client: jscore.Client, source: str, expected: object) -> None:
    assert client.evaluate(source) == expected


def test_top_level_nan_and_infinities(client: jscore.Client) -> None:
    assert math.isnan(client.evaluate("NaN"))
    assert client.evaluate("Infinity") == math.inf
    assert client.evaluate("-Infinity") == -math.inf
    result = client.evaluate_result("undefined")
    assert result.undefined and result.value is None


def test_arguments_round_trip(client: jscore.Client) -> None:
    prog = client.load_program(
        """
        function echo(x) { return x; }
        function describe(x) {
          return {
            type: typeof x,
            isArray: Array.isArray(x),
            isNaN: Number.isNaN(x),
            time: typeof x === "string" ? new Date(x).getTime() : null,
          };
        }
        function big(s) { return BigInt(s) * 2n; }
        """
    )
    for value in [None, True, False, 0, -7, 2**53, 1.25, "", "ü☃", [1, [2, "x"]], {"k": {"n": [None]}}]:
        assert prog.call("echo", value) == value
    assert math.isnan(prog.call("echo", math.nan))
    assert prog.call("echo", math.inf) == math.inf
    assert prog.call("echo", -math.inf) == -math.inf
    assert prog.call("echo", b"\x01\xff") == b"\x01\xff"  # a Uint8Array in JS, bytes again
    assert prog.call("echo", (1, 2)) == [1, 2]
    assert prog.call("describe", math.nan)["isNaN"] is True
    when = dt.datetime(2021, 5, 6, 7, 8, 9, 123000, tzinfo=UTC)
    assert prog.call("describe", when) == {  # a Date in JS
        "type": "object", "isArray": False, "isNaN": False, "time": None,
    }
    assert prog.call("echo", when) == when
    assert prog.call("big", str(2**70)) == 2**71
    assert prog.call("echo", 2**70) == 2**70  # a BigInt in JS


def test_globals_of_every_type(client: jscore.Client) -> None:
    got = client.evaluate(
        "[typeof a, b.length, c[1], d.k, Number.isNaN(e), f === Infinity, g === null]",
        globals={"a": "s", "b": b"abc", "c": [1, 2], "d": {"k": True}, "e": math.nan,
                 "f": math.inf, "g": None},
    )
    assert got == ["string", 3, 2, True, True, True, True]
