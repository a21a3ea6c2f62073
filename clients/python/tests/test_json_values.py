"""jscore.json_values without a daemon: the JsValue encoder and decoder (order, types, depth)."""

from __future__ import annotations

import datetime as dt
import json
import math

import pytest

from jscore import json_values as jv
from jscore._proto import pb

UTC = dt.timezone.utc


def test_encode_keeps_dict_order_and_plain_json_has_no_types() -> None:
    value = jv.encode({"b": 1, "a": [2, {"z": None, "y": "s"}], "c": True})
    assert value.json == '{"b":1,"a":[2,{"z":null,"y":"s"}],"c":true}'
    assert value.types == ""


def test_encode_types_tree_for_non_json_types() -> None:
    value = jv.encode({
        "n": math.nan, "i": [math.inf, -math.inf], "d": dt.datetime(2020, 1, 2, tzinfo=UTC),
        "b": b"\x00\xff", "s": {7}, "day": dt.date(2020, 1, 2), "t": (1, 2),
    })
    assert json.loads(value.json) == {
        "n": None, "i": [None, None], "d": "2020-01-02T00:00:00.000Z", "b": [0, 255], "s": [7],
        "day": "2020-01-02", "t": [1, 2],
    }
    assert list(json.loads(value.json)) == ["n", "i", "d", "b", "s", "day", "t"]
    assert json.loads(value.types) == [None, {
        "n": "nan", "i": [None, {"0": "infinity", "1": "-infinity"}], "d": "date", "b": "bytes",
        "s": "set",
    }]


def test_encode_set_with_annotated_items_and_root_kinds() -> None:
    assert json.loads(jv.encode({math.inf}).types) == ["set", {"0": "infinity"}]
    assert jv.encode(b"ab").types == '"bytes"'
    assert jv.encode(math.nan).json == "null"


def test_encode_ints_past_2_53_are_bigints() -> None:
    value = jv.encode([2**53, -(2**53) - 1, 2**70])
    assert value.json == '[9007199254740992,"-9007199254740993","1180591620717411303424"]'
    assert json.loads(value.types) == [None, {"1": "bigint", "2": "bigint"}]
    assert jv.decode(value) == [2**53, -(2**53) - 1, 2**70]


def test_encode_keeps_unicode_as_utf8() -> None:
    value = jv.encode({"é": "\U0001F600"})
    assert value.json == '{"é":"\U0001F600"}'


def test_encode_refuses_what_js_cannot_hold() -> None:
    with pytest.raises(TypeError, match="object keys must be str"):
        jv.encode({1: 2})
    with pytest.raises(TypeError, match="cannot pass a object"):
        jv.encode([object()])
    cycle: list = []
    cycle.append(cycle)
    with pytest.raises(ValueError, match="cycle"):
        jv.encode(cycle)


def test_decode_orders_and_rebuilds_types() -> None:
    value = pb.JsValue(
        json='{"z":1,"a":["5","2024-01-02T03:04:05.678Z",[1,2],null,null,null,{"k":null},[1,1]],'
             '"m":{"y":null,"x":1}}',
        types='[null,{"a":[null,{"0":"bigint","1":"date","2":"bytes","3":"nan","4":"infinity",'
              '"5":"-infinity","6":["map",{"k":"undefined"}],"7":"set"}],"m":["map",{"y":"undefined"}]}]',
    )
    got = jv.decode(value)
    assert list(got) == ["z", "a", "m"]
    assert list(got["m"]) == ["y", "x"]
    a = got["a"]
    assert a[0] == 5 and a[1] == dt.datetime(2024, 1, 2, 3, 4, 5, 678000, tzinfo=UTC)
    assert a[2] == b"\x01\x02" and math.isnan(a[3]) and a[4] == math.inf and a[5] == -math.inf
    assert a[6] == {"k": None}
    assert a[7] == [1, 1]  # a Set of items that are equal in Python stays a list


def test_decode_numbers_follow_the_protobuf_rules() -> None:
    got = jv.decode(pb.JsValue(json="[3,1.5,9007199254740992,9007199254740994,1e+21]"))
    assert [type(x) for x in got] == [int, float, int, float, float]
    assert jv.decode(pb.JsValue()) is None


def test_decode_ignores_types_that_do_not_fit() -> None:
    value = pb.JsValue(json='{"a":[1]}', types='[null,{"b":"date","a":[null,{"9":"nan"}]}]')
    assert jv.decode(value) == {"a": [1]}


def test_depth_100_both_ways() -> None:
    deep: object = 1
    for i in range(100):
        deep = {f"k{i % 3}": deep, "a": [-math.inf]} if i % 2 else [deep]
    encoded = jv.encode(deep)
    assert jv.decode(encoded) == deep
    assert len(jv.types_paths(encoded.types)) == 50


def test_types_paths_escapes_pointer_tokens() -> None:
    assert jv.types_paths('[null,{"a/b~":"date"}]') == [("/a~1b~0", "date")]
    assert jv.types_paths('"undefined"') == [("", "undefined")]
