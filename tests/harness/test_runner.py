"""Isolation: an adapter that crashes, hangs, prints garbage or answers wrongly costs its own
scenario only; every other result of the run is complete."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

import pytest

from conformance.runner import RunOptions, Runner
from conformance.scenario import build_scenario
from conformance.workers import WorkerClient

HERE = Path(__file__).parent


def scenario(ident: str):
    return build_scenario({
        "id": f"iso/{ident}", "title": ident, "claims": [],
        "program": [{"call": "constant", "args": [1.0], "kwargs": {"name": "c"}, "as": "c"}],
        "expect": [{"that": "$c.name", "equals": "c:0"}],
    })


def factory(name: str) -> WorkerClient:
    env = {"PYTHONPATH": f"{HERE}:{HERE.parent.parent}"}
    return WorkerClient(name, [sys.executable, "-m", "conformance.worker", f"fake_api:{name}"], env=env)


SCENARIOS = [scenario(n) for n in ("before", "crash", "hang", "garbage", "after")]


@pytest.mark.parametrize("adapter, broken, words", [
    ("CrashingAdapter", "iso/crash", "exited with code 3"),
    ("HangingAdapter", "iso/hang", "timed out after 3 s"),
    ("GarbageAdapter", "iso/garbage", "not the protocol"),
    ("DeepGarbageAdapter", "iso/garbage", "not the protocol"),
])
def test_a_broken_adapter_costs_only_its_scenario(adapter, broken, words):
    report = Runner([adapter], RunOptions(timeout=3), worker_factory=factory).run(SCENARIOS)
    statuses = {r.scenario: r.status for r in report.results}
    assert statuses.pop(broken) == "error"
    assert set(statuses.values()) == {"pass"}, statuses
    (error,) = [r for r in report.results if r.status == "error"]
    assert words in error.error


def test_a_scenario_json_cannot_carry_costs_only_its_pairs():
    # (YAML cannot give one: the loader refuses dates and binary; a scenario built in Python can)
    odd = build_scenario({"id": "iso/odd", "title": "a date in its notes", "claims": [], "notes": date(2026, 12, 7),
                          "program": [{"call": "constant", "args": [1.0], "as": "c"}]})
    report = Runner(["FakeAdapter"], worker_factory=factory).run([SCENARIOS[0], odd, SCENARIOS[-1]])
    assert [r.status for r in report.results] == ["pass", "error", "pass"]
    assert "cannot be sent to the FakeAdapter worker as JSON" in report.results[1].error


def test_a_wrong_adapter_fails_and_differs_from_a_right_one():
    report = Runner(["FakeAdapter", "WrongAdapter"], worker_factory=factory).run(SCENARIOS[:1])
    assert [r.status for r in report.results] == ["pass", "fail"]
    (comparison,) = report.comparisons
    assert {d["key"] for d in comparison.differences} >= {"c", "c.name"}


def test_parallel_lanes_give_the_serial_results():
    many = [scenario(f"s{i}") for i in range(6)]
    serial = Runner(["FakeAdapter"], worker_factory=factory).run(many)
    parallel = Runner(["FakeAdapter"], RunOptions(jobs=2), worker_factory=factory).run(many)
    strip = lambda rep: [{**r.to_json(), "duration": 0} for r in rep.results]  # noqa: E731
    assert strip(serial) == strip(parallel)


def test_reader_scenarios_run_as_a_writer_by_reader_matrix():
    matrix = build_scenario({
        "id": "iso/matrix", "title": "m", "claims": [],
        "program": [{"call": "touch", "args": [{"path": "data"}]}],
        "reader": {"program": [{"call": "constant", "args": [1], "kwargs": {"name": "c"}, "as": "c"}],
                   "expect": [{"files": ["data"]}, {"that": "$c.name", "equals": "c:0"}]},
    })
    report = Runner(["FakeAdapter", "WrongAdapter"], worker_factory=factory).run([matrix])
    got = {(r.adapter, r.writer, r.reader): r.status for r in report.results}
    assert got == {("FakeAdapter", None, None): "pass", ("WrongAdapter", None, None): "fail",
                   ("FakeAdapter→WrongAdapter", "FakeAdapter", "WrongAdapter"): "fail",
                   ("WrongAdapter→FakeAdapter", "WrongAdapter", "FakeAdapter"): "pass"}


def test_a_skip_can_name_devices():
    on_cpu = build_scenario({"id": "iso/cpu-only-skip", "title": "t", "claims": [], "program": [],
                             "skip": {"reason": "too slow on the simulator", "devices": ["cuda-simulator"]}})
    everywhere = build_scenario({"id": "iso/skip", "title": "t", "claims": [], "program": [],
                                 "skip": {"reason": "always", "adapters": ["FakeAdapter"]}})
    report = Runner(["FakeAdapter"], worker_factory=factory).run([on_cpu, everywhere])
    assert [r.status for r in report.results] == ["pass", "skip"]


@pytest.mark.parametrize("command", [None, ["/no/such/program"]], ids=["started", "not-startable"])
def test_a_stopped_worker_closes_its_pipes_and_stderr_file_itself(command):
    """Long runs (fuzzing, a crashing adapter) start workers again and again: each one's files
    are closed when it stops, not left for the collector (which warns of each)."""
    import gc
    import warnings

    from conformance.workers import WorkerError

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", ResourceWarning)
        for _ in range(2):
            worker = WorkerClient("reference", command)
            try:
                assert worker.request({"op": "describe"}, 120)["ok"]
            except WorkerError:
                assert command is not None
            worker.stop()
            del worker
            gc.collect()
    assert [str(w.message) for w in caught if issubclass(w.category, ResourceWarning)] == []
