"""Lanes take the earliest pair whose workers have started, so a slow start (TensorFlow's
import) holds up only its own adapter's pairs; results still come back in spec order."""

from __future__ import annotations

import sys
from pathlib import Path

from conformance.runner import RunOptions, Runner
from conformance.scenario import build_scenario
from conformance.work_queue import WorkQueue, work_items
from conformance.workers import WorkerClient

HERE = Path(__file__).parent


def scenario(ident: str, reader: bool = False):
    raw = {"id": f"q/{ident}", "title": ident, "claims": [],
           "program": [{"call": "constant", "args": [1.0], "kwargs": {"name": "c"}, "as": "c"}],
           "expect": [{"that": "$c.name", "equals": "c:0"}]}
    if reader:
        raw["reader"] = {"program": [{"call": "constant", "args": [2.0], "as": "d"}]}
    return build_scenario(raw)


def test_items_are_numbered_in_report_order():
    items = work_items([scenario("a"), scenario("b", reader=True)], ["x", "y"], matrix=True)
    assert [(i.index, i.scenario.id, i.adapters) for i in items] == [
        (0, "q/a", ("x",)), (1, "q/a", ("y",)),
        (2, "q/b", ("x",)), (3, "q/b", ("y",)), (4, "q/b", ("x", "y")), (5, "q/b", ("y", "x"))]
    assert len(work_items([scenario("b", reader=True)], ["x", "y"], matrix=False)) == 2


def drain(queue: WorkQueue, started: set[str]) -> list[int]:
    taken = []
    while (item := queue.take(started.__contains__)) is not None:
        taken.append(item.index)
    return taken


def test_started_adapters_go_first_in_spec_order():
    items = work_items([scenario(n, reader=True) for n in "abc"], ["slow", "fast"], matrix=True)
    queue = WorkQueue(items)
    assert drain(queue, set()) == [] and not queue.empty()  # nothing started: nothing to take
    assert drain(queue, {"fast"}) == [i.index for i in items if i.adapters == ("fast",)]
    assert drain(queue, {"fast", "slow"}) == [i.index for i in items if i.adapters != ("fast",)]
    assert queue.empty()


def test_with_every_adapter_started_the_order_is_the_spec_order():
    items = work_items([scenario(n, reader=True) for n in "abc"], ["x", "y"], matrix=True)
    assert drain(WorkQueue(items), {"x", "y"}) == list(range(len(items)))


def trace_factory(trace: Path):
    def make(name: str) -> WorkerClient:
        env = {"PYTHONPATH": f"{HERE}:{HERE.parent.parent}", "TFCONF_TEST_TRACE": str(trace)}
        return WorkerClient(name, [sys.executable, "-m", "conformance.worker", f"fake_api:{name}"], env=env)
    return make


def traced(trace: Path) -> tuple[list[tuple[float, float]], list[float]]:
    quick = sorted(tuple(map(float, p.name.split("-")[1:])) for p in trace.glob("quick-*"))
    slow = sorted(float(p.name.split("-", 1)[1]) for p in trace.glob("slow-*"))
    return quick, slow


def test_a_slow_start_holds_up_only_its_own_pairs(tmp_path):
    scenarios = [scenario(f"s{i}") for i in range(5)]
    report = Runner(["SlowStartAdapter", "QuickStartAdapter"], RunOptions(jobs=1),
                    worker_factory=trace_factory(tmp_path)).run(scenarios)
    assert [(r.scenario, r.adapter, r.status) for r in report.results] == [
        (s.id, a, "pass") for s in scenarios for a in ("SlowStartAdapter", "QuickStartAdapter")]
    quick, slow = traced(tmp_path)
    assert len(quick) == len(slow) == 5
    assert quick[-1][1] < slow[0]  # every quick pair ran while the slow worker was still starting


def test_while_workers_start_one_cpu_is_left_to_them(tmp_path, monkeypatch):
    import conformance.runner as runner

    monkeypatch.setattr(runner, "usable_cpus", lambda: 2)
    scenarios = [scenario(f"s{i}") for i in range(8)]
    report = Runner(["SlowStartAdapter", "QuickStartAdapter"], RunOptions(jobs=2),
                    worker_factory=trace_factory(tmp_path)).run(scenarios)
    assert {r.status for r in report.results} == {"pass"}
    quick, slow = traced(tmp_path)
    early = [span for span in quick if span[1] < slow[0]]
    assert len(early) >= 2
    # one lane at a time while the slow worker started: no two of those runs overlap
    assert all(a[1] <= b[0] for a, b in zip(early, early[1:]))


def test_a_lane_with_nothing_to_run_sleeps_until_a_worker_starts(tmp_path, monkeypatch):
    # Two lanes waiting on a starting worker used to wake each other up for ever (a busy parent).
    takes = []
    take = WorkQueue.take
    monkeypatch.setattr(WorkQueue, "take", lambda self, started: takes.append(1) or take(self, started))
    scenarios = [scenario(f"s{i}") for i in range(4)]
    report = Runner(["SlowStartAdapter"], RunOptions(jobs=2), worker_factory=trace_factory(tmp_path)).run(scenarios)
    assert {r.status for r in report.results} == {"pass"}
    # per lane: a look when it begins, one per worker start and one per second waited, then the pairs
    assert len(takes) <= 2 * (1 + 2 + 3) + len(scenarios) + 2
