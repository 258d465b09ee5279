"""Small synthetic results files for the report tests, written with the real
`conformance.results` classes so the tests break when the format changes."""

from __future__ import annotations

from pathlib import Path
from typing import Iterable, Sequence

from adapters.base import AdapterDescription
from conformance.results import Result, ScenarioRecord, footer, header, write_jsonl

TF = AdapterDescription("tensorflow", "TensorFlow (tf.compat.v1)", "2.21.0", "cpu",
                        ("graph", "session"), {"TF_ENABLE_ONEDNN_OPTS": "0"})
REF = AdapterDescription("reference", "tfconf reference_impl", "0", "cpu")
SIM = AdapterDescription("reference-cuda", "tfconf reference_impl (numba kernels)", "0", "cuda-simulator")

XSS = '</script><script>window.__pwned = 1</script><b>bold</b> & "quotes"'


def scalar(value: object) -> dict:
    kind = {str: "str", int: "int", float: "float", bool: "bool"}[type(value)]
    return {"kind": "scalar", "type": kind, "value": value}


def array(values: list, dtype: str = "float32") -> dict:
    return {"kind": "array", "dtype": dtype, "shape": [len(values)], "values": values}


def check(label: str, ok: bool, expected: object, observed: object, message: str = "", **extra: object) -> dict:
    return {"at": "expect[0]", "line": 10, "label": label, "ok": ok, "expected": expected, "observed": observed,
            "message": message, **extra}


def scenario(id: str, title: str = "", claims: Sequence[str] = ("C001",), erratum: str | None = None,
             python: str | None = "import tensorflow.compat.v1 as tf\nv = tf.get_variable('v', [1])\n") -> ScenarioRecord:
    return ScenarioRecord(id, title or id.split("/")[-1], id.split("/")[0], tuple(claims), ("tag",), erratum, python,
                          "spec/x.yaml", 3)


def result(scenario_id: str, adapter: str, status: str, observations: dict | None = None, **extra: object) -> Result:
    claims = extra.pop("claims", ("C001",))
    if status == "skip":
        extra.setdefault("reason", "unsupported: no tf.foo")
    if status == "error":
        extra.setdefault("error", "Traceback (most recent call last):\n  File \"x.py\", line 1\nRuntimeError: boom")
    if status == "fail":
        extra.setdefault("mismatches", ("line 10: v.name equals: 'foo/v_1:0' != expected 'foo/v:0'",))
    return Result(scenario_id, adapter, status, 0.25, scenario_id.split("/")[-1], scenario_id.split("/")[0],
                  tuple(claims), observations or {}, **extra)


def write_results(path: Path, results: Iterable[Result], scenarios: Iterable[ScenarioRecord] = (),
                  adapters: Sequence[AdapterDescription] = (TF, REF)) -> Path:
    results = list(results)
    records = [header([a.to_json() for a in adapters], "2026-01-01T00:00:00+00:00")]
    records += [s.to_json() for s in scenarios]
    records += [r.to_json() for r in results]
    records.append(footer(results, 1.5, 0.5))
    write_jsonl(path, records)
    return path


def standard_run(path: Path, *, ref_status: str = "fail") -> Path:
    """Two scenarios on tensorflow and reference: one agrees, one differs (reference fails)."""
    same = {"v.name": scalar("foo/v:0")}
    good = {"v.name": scalar("foo/v:0"), "value": array([1.0, 2.0])}
    bad = {"v.name": scalar("foo/v_1:0"), "value": array([1.0, 2.0000002])}
    results = [
        result("scopes/same", "tensorflow", "pass", same,
               checks=(check("v.name equals", True, "foo/v:0", "foo/v:0"),)),
        result("scopes/same", "reference", "pass", same,
               checks=(check("v.name equals", True, "foo/v:0", "foo/v:0"),)),
        result("scopes/differs", "tensorflow", "pass", good,
               checks=(check("v.name equals", True, "foo/v:0", "foo/v:0"),)),
        result("scopes/differs", "reference", ref_status, bad if ref_status in ("pass", "fail") else {},
               checks=(check("v.name equals", False, "foo/v:0", "foo/v_1:0", "'foo/v_1:0' != expected 'foo/v:0'"),)
               if ref_status == "fail" else ()),
    ]
    scenarios = [scenario("scopes/same", "same on both", ("C001",)),
                 scenario("scopes/differs", "differs between adapters", ("C002",), erratum="Document 000 is wrong.")]
    return write_results(path, results, scenarios)
