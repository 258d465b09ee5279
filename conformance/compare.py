"""Judging: an adapter's `Outcome` against the scenario's expectations, and adapters against
each other.

`judge` gives the verdict of one (scenario, adapter) pair: every expectation becomes a
`CheckResult`; any failed check, any expected exception that did not happen and any unexpected
exception make the pair ``fail``. `differences` lists every observation on which adapters
disagree, whether or not the spec asserts it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Iterator, Mapping

import numpy as np

from adapters.base import Outcome

from .numeric import array_of, arrays_equal, numeric_error
from .scenario import CheckStep, ErrorSpec, Expectation, Scenario, Step, all_steps

OBJECT_KINDS = ("tensor", "variable", "operation", "variable_scope", "indexed_slices")


@dataclass(frozen=True)
class CheckResult:
    """One expectation, or one expected exception, and whether the observation meets it."""

    at: str
    line: int
    label: str
    ok: bool
    expected: Any
    observed: Any
    message: str = ""
    ulp: int | None = None
    rel: float | None = None

    def to_json(self) -> dict[str, Any]:
        data = {"at": self.at, "line": self.line, "label": self.label, "ok": self.ok,
                "expected": self.expected, "observed": self.observed, "message": self.message}
        if self.ulp is not None:
            data.update(ulp=self.ulp, rel=self.rel)
        return data


@dataclass(frozen=True)
class Verdict:
    status: str  # "pass" or "fail"
    checks: tuple[CheckResult, ...] = field(default_factory=tuple)

    @property
    def mismatches(self) -> list[str]:
        return [f"line {c.line}: {c.label}: {c.message}" for c in self.checks if not c.ok]


def judge(scenario: Scenario, outcome: Outcome) -> Verdict:
    """Compare one completed outcome with the scenario's expectations."""
    observations = outcome.observations
    results: list[CheckResult] = []
    results += _unexpected_errors(scenario, observations)
    results += _raises_checks(scenario, observations)
    results += _expectation_checks(scenario, outcome)
    return Verdict("pass" if all(r.ok for r in results) else "fail", tuple(results))


def _unexpected_errors(scenario: Scenario, observations: Mapping[str, Any]) -> Iterator[CheckResult]:
    lines = {step.path: step.line for step in all_steps(scenario)}
    for key, value in observations.items():
        if key.startswith("error@"):
            path = key[len("error@"):].split("#")[0]
            yield CheckResult(path, lines.get(path, scenario.line), "no exception", False, None, value,
                              f"unexpected {value['type']} while {_phase_words(value['phase'])}: {value['message']}")


def _phase_words(phase: str) -> str:
    return "running the session" if phase == "run" else "building the graph"


def _raises_checks(scenario: Scenario, observations: Mapping[str, Any]) -> Iterator[CheckResult]:
    for step in all_steps(scenario):
        spec = getattr(step, "raises", None)
        if spec is None:
            continue
        keys = [k for k in observations if k == f"raises@{step.path}" or k.startswith(f"raises@{step.path}#")]
        if not keys:
            yield CheckResult(step.path, step.line, "raises", False, _error_json(spec), None,
                              "the step was never reached")
        for key in keys:
            yield _check_error(step.path, step.line, spec, observations[key])


def _error_json(spec: ErrorSpec) -> dict[str, Any]:
    return {k: v for k, v in {"type": spec.type, "message": spec.message, "match": spec.match,
                              "phase": spec.phase}.items() if v is not None}


def _check_error(at: str, line: int, spec: ErrorSpec, observed: Mapping[str, Any]) -> CheckResult:
    expected = _error_json(spec)
    if observed.get("kind") != "error":
        return CheckResult(at, line, "raises", False, expected, observed, f"expected {spec.type}, nothing was raised")
    problems = []
    if observed["type"] != spec.type:
        problems.append(f"raised {observed['type']}, expected {spec.type}")
    if spec.message is not None and observed["message"] != spec.message:
        problems.append(f"message {observed['message']!r} != expected {spec.message!r}")
    if spec.match is not None and not re.search(spec.match, observed["message"]):
        problems.append(f"message {observed['message']!r} does not match /{spec.match}/")
    if spec.phase is not None and observed["phase"] != spec.phase:
        problems.append(f"raised while {_phase_words(observed['phase'])}, expected while {_phase_words(spec.phase)}")
    return CheckResult(at, line, "raises", not problems, expected, observed, "; ".join(problems))


def _expectations_by_place(scenario: Scenario) -> dict[str, Expectation]:
    places = {}
    for stage in scenario.stages:
        places.update({f"{stage.prefix}expect[{i}]": e for i, e in enumerate(stage.expectations)})
    for step in all_steps(scenario):
        if isinstance(step, CheckStep):
            places[f"{step.path}.check"] = step.expectation
    return places


def _expectation_checks(scenario: Scenario, outcome: Outcome) -> Iterator[CheckResult]:
    places = _expectations_by_place(scenario)
    reached = set()
    for check in outcome.checks:
        expectation = places.get(check["at"])
        if expectation is None:
            continue
        reached.add(check["at"])
        observed = outcome.observations.get(check["key"])
        other = outcome.observations.get(check["other"]) if check.get("other") else None
        yield from check_expectation(check["at"], expectation, observed, other)
    for at, expectation in places.items():
        if at not in reached and "expect[" in at:
            yield CheckResult(at, expectation.line, expectation.label, False, dict(expectation.matchers), None,
                              "not observed: the program stopped before this expectation")


def check_expectation(at: str, expectation: Expectation, observed: Any, other: Any = None) -> Iterator[CheckResult]:
    """Every matcher of one expectation against its observation."""
    label = expectation.label
    if expectation.files is not None:
        items = observed["items"] if observed else None
        yield CheckResult(at, expectation.line, "files", items == list(expectation.files), list(expectation.files),
                          items, "" if items == list(expectation.files) else f"files are {items}")
        return
    if observed is None or observed.get("kind") == "error":
        message = "not observed" if observed is None else (
            f"raised {observed['type']} while observing it: {observed['message']}")
        yield CheckResult(at, expectation.line, label, False, dict(expectation.matchers), observed, message)
        return
    for matcher, expected in expectation.matchers.items():
        if matcher in ("tolerance", "comment"):
            continue
        yield _match(at, expectation, matcher, expected, observed, other)


def _match(at: str, expectation: Expectation, matcher: str, expected: Any, observed: Any, other: Any) -> CheckResult:
    label = f"{expectation.label} {matcher.replace('_', ' ')}"
    line = expectation.line
    if matcher in ("is", "is_not"):
        same = bool(other) and "id" in observed and observed.get("id") == other.get("id")
        ok = same if matcher == "is" else (not same)
        return CheckResult(at, line, label, ok, expected, observed.get("id"),
                           "" if ok else f"{'not ' if matcher == 'is' else ''}the same object as {expected}")
    if matcher == "equals":
        ok, message, error = equals(observed, expected, expectation.matchers.get("tolerance"))
        return CheckResult(at, line, label, ok, expected, plain(observed), message,
                           error.ulp if error else None, error.rel if error else None)
    getter = {"names": names_of, "shape": shape_of, "dtype": dtype_of, "length": length_of}[matcher]
    try:
        value = getter(observed)
    except (KeyError, TypeError) as error:
        return CheckResult(at, line, label, False, expected, observed, f"has no {matcher}: {error}")
    ok = value == expected
    return CheckResult(at, line, label, ok, expected, value, "" if ok else f"{value!r} != expected {expected!r}")


def names_of(observed: Mapping[str, Any]) -> list[str]:
    if observed["kind"] not in ("list", "tuple"):
        raise TypeError(f"a {observed['kind']} is not a sequence")
    return [item["name"] for item in observed["items"]]


def shape_of(observed: Mapping[str, Any]) -> Any:
    kind = observed["kind"]
    if kind in ("tensor", "variable", "array"):
        return observed["shape"]
    if kind == "shape":
        return observed["dims"]
    raise TypeError(f"a {kind} has no shape")


def dtype_of(observed: Mapping[str, Any]) -> str:
    kind = observed["kind"]
    if kind in ("tensor", "variable", "array"):
        return observed["dtype"]
    if kind == "dtype":
        return observed["name"]
    raise TypeError(f"a {kind} has no dtype")


def length_of(observed: Mapping[str, Any]) -> int:
    kind = observed["kind"]
    if kind in ("list", "tuple", "dict", "files"):
        return len(observed["items"])
    if kind == "array" and observed["shape"]:
        return observed["shape"][0]
    raise TypeError(f"a {kind} has no length")


def plain(observed: Any) -> Any:
    """The plain value of an observation (what ``equals`` compares), for display."""
    kind = observed.get("kind") if isinstance(observed, dict) else None
    if kind in ("scalar", "bytes"):
        return observed["value"]
    if kind == "array":
        return observed["values"]
    if kind in ("list", "tuple"):
        return [plain(i) for i in observed["items"]]
    if kind == "dict":
        return {k: plain(v) for k, v in observed["items"].items()}
    if kind in ("shape",):
        return observed["dims"]
    if kind in ("dtype", "dimension"):
        return observed.get("name", observed.get("value"))
    if kind in OBJECT_KINDS:
        return f"<{kind} {observed['name']}>"
    return observed


def equals(observed: Any, expected: Any, tolerance: dict | None) -> tuple[bool, str, Any]:
    """Compare an observation with a plain expected value. Returns (ok, message, NumericError)."""
    kind = observed.get("kind")
    if kind == "array":
        return _array_equals(observed, expected, tolerance)
    if kind == "scalar":
        return _scalar_equals(observed, expected, tolerance)
    if kind == "bytes":
        ok = observed["value"] == expected
        return ok, "" if ok else f"{observed['value']!r} != expected {expected!r}", None
    if kind in ("list", "tuple"):
        if not isinstance(expected, list) or len(expected) != len(observed["items"]):
            return False, f"{plain(observed)!r} != expected {expected!r}", None
        return _all_equal(zip(observed["items"], expected), tolerance, lambda i: f"[{i}]")
    if kind == "dict":
        items = observed["items"]
        if not isinstance(expected, dict) or set(map(str, expected)) != set(items):
            return False, f"keys {sorted(items)} != expected {sorted(map(str, expected or {}))}", None
        pairs = [(items[str(k)], v) for k, v in expected.items()]
        return _all_equal(pairs, tolerance, lambda i: f"[{list(expected)[i]!r}]")
    if kind in ("shape", "dtype", "dimension"):
        value = plain(observed)
        return value == expected, "" if value == expected else f"{value!r} != expected {expected!r}", None
    return False, f"a {kind} cannot be compared by value; assert its name, shape or dtype", None


def _all_equal(pairs: Any, tolerance: dict | None, where: Any) -> tuple[bool, str, Any]:
    worst = None
    for index, (item, exp) in enumerate(pairs):
        ok, message, error = equals(item, exp, tolerance)
        if error is not None and (worst is None or error.ulp > worst.ulp):
            worst = error
        if not ok:
            return False, f"{where(index)}: {message}", error
    return True, "", worst


def _scalar_equals(observed: Mapping[str, Any], expected: Any, tolerance: dict | None) -> tuple[bool, str, Any]:
    value = observed["value"]
    if observed["type"] == "float" and isinstance(expected, (int, float)) and not isinstance(expected, bool):
        array = np.array([float(value)], dtype=np.float64)
        return _compare_arrays(array, np.array([float(expected)]), tolerance, value, expected)
    ok = value == expected and type(value) is type(expected)
    if observed["type"] == "none":
        ok = expected is None
    return ok, "" if ok else f"{value!r} != expected {expected!r}", None


def _array_equals(observed: Mapping[str, Any], expected: Any, tolerance: dict | None) -> tuple[bool, str, Any]:
    array = array_of(observed)
    try:
        if array.dtype == object:
            wanted = np.array(expected, dtype=object)
        else:
            wanted = np.array(expected, dtype=np.float64 if array.dtype.kind == "f" else None)
    except (ValueError, TypeError) as error:
        return False, f"expected value is not an array: {error}", None
    if wanted.shape != array.shape:
        return False, f"shape {list(array.shape)} != expected shape {list(wanted.shape)}: {observed['values']!r}", None
    if array.dtype.kind == "b" and wanted.dtype.kind != "b" and wanted.size:
        return False, f"{observed['values']!r} (bool) != expected {expected!r}", None
    return _compare_arrays(array, wanted, tolerance, observed["values"], expected)


def _compare_arrays(array: np.ndarray, wanted: np.ndarray, tolerance: dict | None, shown: Any,
                    expected: Any) -> tuple[bool, str, Any]:
    if array.dtype.kind == "f":
        try:
            wanted = wanted.astype(array.dtype)
        except (ValueError, TypeError):
            return False, f"{shown!r} != expected {expected!r}", None
        error = numeric_error(array, wanted)
        ok = arrays_equal(array, wanted, tolerance)
        detail = f" (max {error.ulp} ULP, relative error {error.rel:.3g})" if error and not ok else ""
        return ok, "" if ok else f"{shown!r} != expected {expected!r}{detail}", error
    ok = bool(np.array_equal(array, wanted.astype(array.dtype) if array.dtype != object else wanted))
    return ok, "" if ok else f"{shown!r} != expected {expected!r}", None


# ---------------------------------------------------------------------------------------------
# Between implementations


@dataclass(frozen=True)
class Difference:
    """One observation on which adapters disagree; ``errors`` hold numeric distances from the
    first adapter's value where both are float arrays of one shape."""

    key: str
    values: Mapping[str, Any]
    errors: Mapping[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {"key": self.key, "values": dict(self.values), "errors": dict(self.errors)}


def differences(outcomes: Mapping[str, Outcome]) -> list[Difference]:
    """Every observation key whose value is not the same on every completed adapter."""
    completed = {name: o for name, o in outcomes.items() if o.status == "completed"}
    if len(completed) < 2:
        return []
    keys: list[str] = []
    for outcome in completed.values():
        keys += [k for k in outcome.observations if k not in keys]
    found = []
    for key in keys:
        values = {name: o.observations.get(key) for name, o in completed.items()}
        first = next(iter(values.values()))
        if all(v == first for v in values.values()):
            continue
        found.append(Difference(key, values, _numeric_errors(values)))
    return found


def _numeric_errors(values: Mapping[str, Any]) -> dict[str, Any]:
    names = list(values)
    base = values[names[0]]
    if not (isinstance(base, dict) and base.get("kind") == "array"):
        return {}
    errors = {}
    for name in names[1:]:
        other = values[name]
        if isinstance(other, dict) and other.get("kind") == "array" and other["dtype"] == base["dtype"]:
            error = numeric_error(array_of(other), array_of(base))
            if error is not None:
                errors[name] = error.to_json()
    return errors
