"""The shared client conformance table (tests/client_conformance/*.json), which the
Go and Java clients run too: the same values and errors in all three."""

import datetime
import glob
import json
import math
import os
from typing import Any, Dict, List, Tuple

import grpc
import pytest

import jscore
from jscore import json_values
from jscore._proto import pb as _pb

_FOLDER = os.path.join(os.path.dirname(__file__), "..", "..", "..", "tests", "client_conformance")


def _cases() -> List[Dict[str, Any]]:
    cases: List[Dict[str, Any]] = []
    for path in sorted(glob.glob(os.path.join(_FOLDER, "*.json"))):
        with open(path, encoding="utf-8") as f:
            cases.extend(json.load(f))
    return [c for c in cases if "python" not in c.get("skip", [])]


def _unescape(segment: str) -> str:
    return segment.replace("~1", "/").replace("~0", "~")


def _native(plain: Any, kinds: Dict[str, str], path: str = "") -> Any:
    """The Python value the client must produce for `plain` (see the folder's README)."""
    kind = kinds.get(path)
    if kind == "bigint":
        return int(plain)
    if kind == "date":
        if plain is None:
            return None
        text = plain.replace("Z", "+00:00")
        return datetime.datetime.fromisoformat(text) if text[0].isdigit() and len(text.split("-")[0]) == 4 else plain
    if kind == "bytes":
        return bytes(plain)
    if kind in ("nan", "infinity"):
        return float(plain)
    if kind == "undefined":
        return None
    if isinstance(plain, list):
        items = [_native(v, kinds, f"{path}/{i}") for i, v in enumerate(plain)]
        return items
    if isinstance(plain, dict):
        return {k: _native(v, kinds, f"{path}/{k.replace('~', '~0').replace('/', '~1')}") for k, v in plain.items()}
    return plain


def _same(got: Any, want: Any) -> bool:
    if isinstance(want, float) and math.isnan(want):
        return isinstance(got, float) and math.isnan(got)
    if isinstance(want, (int, float)) and not isinstance(want, bool):
        return isinstance(got, (int, float)) and not isinstance(got, bool) and got == want
    if isinstance(want, list):
        if isinstance(got, (set, frozenset)):
            return len(got) == len(want) and all(any(_same(g, w) for g in got) for w in want)
        return isinstance(got, list) and len(got) == len(want) and all(_same(g, w) for g, w in zip(got, want))
    if isinstance(want, dict):  # keys in the same order
        return isinstance(got, dict) and list(got) == list(want) and all(_same(got[k], want[k]) for k in want)
    if isinstance(want, datetime.datetime) and isinstance(got, datetime.datetime):
        return got == want
    return got == want


def _annotations(case: Dict[str, Any]) -> List[Tuple[str, str]]:
    if "expect_type" in case and case["expect_type"] != "undefined":
        return [("", case["expect_type"])]
    return [(a["path"], a["kind"]) for a in case.get("annotations", [])]


def _got_annotations(result: "jscore.Result") -> List[Tuple[str, str]]:
    """The response's annotations, or its JsValue types tree, as (path, kind) pairs
    (kinds named as in the README: "-infinity" is "infinity" there)."""
    response = result.response
    if response.WhichOneof("result") == "value_json":
        pairs = [(p, "infinity" if k == "-infinity" else k)
                 for p, k in json_values.types_paths(response.value_json.types)]
        return [(p, k) for p, k in pairs if not (p == "" and k == "undefined" and response.undefined)]
    return [(a.path, _pb.TypeAnnotation.Kind.Name(a.kind)[len("KIND_"):].lower())
            for a in response.annotations]


@pytest.mark.parametrize("case", _cases(), ids=lambda c: c["name"])
def test_conformance(client: "jscore.Client", case: Dict[str, Any]) -> None:
    timeout = case.get("timeout_ms", 10000) / 1000.0
    try:
        if "program_source" in case:
            program = client.load_program(case["program_source"])
            result = program.call_result(case["function"], *case.get("args", []), timeout=timeout)
        else:
            result = client.evaluate_result(case["source"], globals=case.get("globals"), timeout=timeout)
    except jscore.Hooked as hooked:
        assert "expect_hooked" in case, f"unexpected $terminate: {hooked.data!r}"
        kinds = dict(_annotations(case))
        assert _same(hooked.data, _native(case["expect_hooked"], kinds))
        return
    except jscore.JsError as error:
        assert "expect_error" in case, f"unexpected JsError {error}"
        want = case["expect_error"]
        if "name" in want:
            assert error.name == want["name"]
        if "message" in want:
            assert error.message == want["message"]
        if "message_contains" in want:
            assert want["message_contains"] in error.message
        if want.get("thrown_absent"):
            assert not error.has_thrown, f"thrown {error.thrown!r}"
        if "thrown" in want:
            assert error.has_thrown
            kinds = {"": want["thrown_type"]} if "thrown_type" in want else {}
            native = _native(want["thrown"], kinds)
            assert _same(error.thrown, native), f"thrown {error.thrown!r}, want {native!r}"
        return
    except jscore.Error as error:
        assert "expect_status" in case, f"unexpected failure {error!r}"
        assert error.code == getattr(grpc.StatusCode, case["expect_status"])
        if "status_message_contains" in case:
            assert case["status_message_contains"] in error.message
        return
    for key in ("expect_error", "expect_status", "expect_hooked"):
        assert key not in case, f"expected {key}, got value {result.value!r}"
    if case.get("expect_type") == "undefined":
        assert result.undefined and result.value is None
        return
    got_annotations = sorted(_got_annotations(result))
    assert got_annotations == sorted(_annotations(case))
    want = _native(case["expect"], dict(_annotations(case)))
    assert _same(result.value, want), f"got {result.value!r}, want {want!r}"
