"""The runner: every (scenario, adapter) pair, each in isolation, judged and compared.

Each adapter runs in worker processes (`conformance.workers`), so a crash, a hang or garbage
costs one pair (status ``error``) and the run goes on. ``jobs`` lanes run scenarios in
parallel, each lane with its own worker per adapter; results come back in spec order whatever
the parallelism.
"""

from __future__ import annotations

import threading
import time
import traceback
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any, Callable, Sequence

from adapters.base import AdapterDescription, Outcome

from .compare import differences, judge
from .results import Comparison, Result
from .scenario import Scenario
from .workers import WorkerClient, WorkerError

DEFAULT_TIMEOUT = 60.0
STARTUP_TIMEOUT = 300.0


@dataclass(frozen=True)
class RunOptions:
    jobs: int = 1
    timeout: float = DEFAULT_TIMEOUT
    startup_timeout: float = STARTUP_TIMEOUT


@dataclass
class RunReport:
    """Everything one run produced, in spec order."""

    descriptions: dict[str, dict[str, Any]] = field(default_factory=dict)
    results: list[Result] = field(default_factory=list)
    comparisons: list[Comparison] = field(default_factory=list)
    duration: float = 0.0

    @property
    def ok(self) -> bool:
        return all(r.status in ("pass", "skip") for r in self.results)


ProgressFn = Callable[[Result], None]


class _Lane:
    """One lane of parallelism: a worker per adapter, started on first use."""

    def __init__(self, adapters: Sequence[str], factory: Callable[[str], WorkerClient]) -> None:
        self.workers = {name: factory(name) for name in adapters}
        self.started: set[str] = set()

    def stop(self) -> None:
        for worker in self.workers.values():
            worker.stop()


class Runner:
    """Runs scenarios on adapters through worker processes."""

    def __init__(self, adapters: Sequence[str], options: RunOptions = RunOptions(),
                 worker_factory: Callable[[str], WorkerClient] | None = None) -> None:
        self.adapters = list(adapters)
        self.options = options
        self.factory = worker_factory or WorkerClient
        self.descriptions: dict[str, dict[str, Any]] = {}
        self._lock = threading.Lock()

    def run(self, scenarios: Sequence[Scenario], progress: ProgressFn | None = None) -> RunReport:
        started = time.perf_counter()
        jobs = max(1, min(self.options.jobs, len(scenarios) or 1))
        lanes = [_Lane(self.adapters, self.factory) for _ in range(jobs)]
        free: list[_Lane] = list(lanes)
        free_lock = threading.Lock()

        def task(scenario: Scenario) -> list[Result]:
            with free_lock:
                lane = free.pop()
            try:
                results = [self._run_pair(lane, scenario, name) for name in self.adapters]
            finally:
                with free_lock:
                    free.append(lane)
            if progress:
                for result in results:
                    progress(result)
            return results

        try:
            with ThreadPoolExecutor(max_workers=jobs) as pool:
                per_scenario = list(pool.map(task, scenarios))
        finally:
            for lane in lanes:
                lane.stop()
        report = RunReport(descriptions={n: self.descriptions.get(n, _unknown(n)) for n in self.adapters})
        for scenario, results in zip(scenarios, per_scenario):
            report.results += results
            found = differences({r.adapter: Outcome("completed", r.observations) for r in results
                                 if r.status in ("pass", "fail")})
            if found:
                report.comparisons.append(Comparison(scenario.id, tuple(r.adapter for r in results
                                                                        if r.status in ("pass", "fail")),
                                                     tuple(d.to_json() for d in found)))
        report.duration = time.perf_counter() - started
        return report

    def _describe(self, lane: _Lane, name: str) -> None:
        worker = lane.workers[name]
        reply = worker.request({"op": "describe"}, self.options.startup_timeout)
        lane.started.add(name)
        if reply.get("ok"):
            with self._lock:
                self.descriptions.setdefault(name, reply["description"])
        else:
            raise WorkerError(f"the {name} adapter could not describe itself:\n{reply.get('error')}")

    def _run_pair(self, lane: _Lane, scenario: Scenario, name: str) -> Result:
        base = {"scenario": scenario.id, "adapter": name, "title": scenario.title, "area": scenario.area,
                "claims": scenario.claims}
        if scenario.skip and scenario.skip.applies_to(name):
            return Result(status="skip", reason=scenario.skip.reason, **base)
        started = time.perf_counter()
        try:
            if name not in lane.started:
                self._describe(lane, name)
            reply = lane.workers[name].request({"op": "run", "scenario": scenario.raw}, self.options.timeout)
        except WorkerError as error:
            lane.started.discard(name)
            return Result(status="error", duration=time.perf_counter() - started, error=str(error), **base)
        duration = time.perf_counter() - started
        if not reply.get("ok"):
            return Result(status="error", duration=duration, error=str(reply.get("error")), **base)
        try:
            outcome = Outcome.from_json(reply["outcome"])
            if outcome.status == "unsupported":
                return Result(status="skip", duration=duration, reason=f"unsupported: {outcome.reason}", **base)
            verdict = judge(scenario, outcome)
        except Exception:  # noqa: BLE001 - a malformed outcome is this adapter's error
            return Result(status="error", duration=duration, error=traceback.format_exc(), **base)
        return Result(status=verdict.status, duration=duration, observations=outcome.observations,
                      checks=tuple(c.to_json() for c in verdict.checks), mismatches=tuple(verdict.mismatches),
                      **base)


def _unknown(name: str) -> dict[str, Any]:
    return AdapterDescription(name, "unknown (the adapter never started)", "?").to_json()
