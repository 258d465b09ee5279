"""The runner: every (scenario, adapter) pair, each in isolation, judged and compared.

Each adapter runs in worker processes (`conformance.workers`), so a crash, a hang or garbage
costs one pair (status ``error``) and the run goes on. ``jobs`` lanes run scenarios in
parallel, each lane with its own worker per adapter; results come back in spec order whatever
the parallelism.

Judging needs numpy and the expectations need jsonschema: both are imported where first used,
so that importing this module stays cheap and ``tfconf run`` starts its workers (TensorFlow's
import, the run's longest wait) before paying for them.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import threading
import time
import traceback
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Callable, Sequence

from adapters.base import AdapterDescription, Outcome

from .forkserver import ForkServer
from .forkserver import supported as forkserver_supported
from .results import Comparison, Result
from .scenario import MAIN, READER, Scenario
from .work_queue import WorkItem, WorkQueue, work_items
from .workers import WorkerClient, WorkerError

if TYPE_CHECKING:
    from .expectations import Divergence

DEFAULT_TIMEOUT = 60.0
STARTUP_TIMEOUT = 300.0


@dataclass(frozen=True)
class RunOptions:
    """``matrix``: scenarios with a reader stage also run writer × reader across adapters."""

    matrix: bool = True
    jobs: int = 1
    divergences: tuple[Divergence, ...] = ()
    timeout: float = DEFAULT_TIMEOUT
    startup_timeout: float = STARTUP_TIMEOUT


@dataclass
class RunReport:
    """Everything one run produced, in spec order."""

    descriptions: dict[str, dict[str, Any]] = field(default_factory=dict)
    results: list[Result] = field(default_factory=list)
    comparisons: list[Comparison] = field(default_factory=list)
    duration: float = 0.0
    startup: float = 0.0  # of duration: starting every worker (TensorFlow's import …)

    @property
    def ok(self) -> bool:
        return all(r.status in ("pass", "skip", "xfail") for r in self.results)


ProgressFn = Callable[[Result], None]


class AdapterPool:
    """One worker per adapter, each started on first use and restarted after a failure."""

    def __init__(self, adapters: Sequence[str], factory: Callable[[str], WorkerClient] = WorkerClient) -> None:
        self.workers = {name: factory(name) for name in adapters}
        self.descriptions: dict[str, dict[str, Any]] = {}
        self._started: set[str] = set()

    def _ensure_started(self, name: str, options: RunOptions) -> None:
        if name in self._started:
            return
        reply = self.workers[name].request({"op": "describe"}, options.startup_timeout)
        if not reply.get("ok"):
            raise WorkerError(f"the {name} adapter could not describe itself:\n{reply.get('error')}")
        self.descriptions.setdefault(name, reply["description"])
        self._started.add(name)

    def device(self, name: str, options: RunOptions) -> str | None:
        """The device the adapter says it runs on (starting it if need be); None if it cannot start."""
        try:
            self._ensure_started(name, options)
        except WorkerError:
            return None
        return self.descriptions.get(name, {}).get("device")

    def request_run(self, name: str, scenario: Scenario, options: RunOptions, stages: Sequence[str] | None = None,
                    workdir: str | None = None) -> dict[str, Any]:
        """The worker's reply to running ``scenario`` (some ``stages`` of it, in ``workdir``);
        raises `WorkerError`."""
        try:
            self._ensure_started(name, options)
            request: dict[str, Any] = {"op": "run", "scenario": scenario.raw}
            if stages is not None:
                request.update(stages=list(stages), workdir=workdir)
            return self.workers[name].request(request, options.timeout)
        except WorkerError:
            self._started.discard(name)
            raise

    def stop(self, patience: float = 2.0) -> None:
        """Stop every worker for good, killing those not gone within ``patience`` seconds."""
        _stop_all([self], patience)


def _base(scenario: Scenario, name: str) -> dict[str, Any]:
    return {"scenario": scenario.id, "adapter": name, "title": scenario.title, "area": scenario.area,
            "claims": scenario.claims}


def _skipped(pool: AdapterPool, scenario: Scenario, name: str, options: RunOptions) -> bool:
    skip = scenario.skip
    if skip is None:
        return False
    # only a device condition needs the adapter started to know its device
    return skip.applies_to(name, pool.device(name, options) if skip.devices else None)


def run_pair(pool: AdapterPool, scenario: Scenario, name: str, options: RunOptions) -> Result:
    """Run one scenario on one adapter and judge it; never raises."""
    base = _base(scenario, name)
    if _skipped(pool, scenario, name, options):
        return Result(status="skip", reason=scenario.skip.reason, **base)
    started = time.perf_counter()
    try:
        reply = pool.request_run(name, scenario, options)
    except WorkerError as error:
        return Result(status="error", duration=time.perf_counter() - started, error=str(error), **base)
    return _judge_replies(scenario, [reply], time.perf_counter() - started, base)


def run_matrix_pair(pool: AdapterPool, scenario: Scenario, writer: str, reader: str, options: RunOptions) -> Result:
    """The main stage on ``writer``, then the reader stage on ``reader``, over one directory."""
    base = {**_base(scenario, f"{writer}→{reader}"), "writer": writer, "reader": reader}
    for name in (writer, reader):
        if _skipped(pool, scenario, name, options):
            return Result(status="skip", reason=scenario.skip.reason, **base)
    started = time.perf_counter()
    workdir = tempfile.mkdtemp(prefix="tfconf-matrix-")
    try:
        replies = [pool.request_run(writer, scenario, options, [MAIN], workdir)]
        if replies[0].get("ok") and replies[0]["outcome"]["status"] == "completed":
            replies.append(pool.request_run(reader, scenario, options, [READER], workdir))
    except WorkerError as error:
        return Result(status="error", duration=time.perf_counter() - started, error=str(error), **base)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    return _judge_replies(scenario, replies, time.perf_counter() - started, base)


def _judge_replies(scenario: Scenario, replies: list[dict[str, Any]], duration: float, base: dict[str, Any]) -> Result:
    from .compare import judge

    for reply in replies:
        if not reply.get("ok"):
            return Result(status="error", duration=duration, error=str(reply.get("error")), **base)
    try:
        outcomes = [Outcome.from_json(reply["outcome"]) for reply in replies]
        for outcome in outcomes:
            if outcome.status == "unsupported":
                return Result(status="skip", duration=duration, reason=f"unsupported: {outcome.reason}", **base)
        outcome = Outcome("completed", {k: v for o in outcomes for k, v in o.observations.items()},
                          tuple(c for o in outcomes for c in o.checks))
        verdict = judge(scenario, outcome)
    except Exception:  # noqa: BLE001 - a malformed outcome is this adapter's error
        return Result(status="error", duration=duration, error=traceback.format_exc(), **base)
    return Result(status=verdict.status, duration=duration, observations=outcome.observations,
                  checks=tuple(c.to_json() for c in verdict.checks), mismatches=tuple(verdict.mismatches), **base)


class Runner:
    """Runs scenarios on adapters through worker processes.

    `run` starts the workers itself; call `start` first to have them start (TensorFlow's
    import takes seconds) while the caller still has work of its own to do: the CLI loads the
    spec meanwhile. Every worker is stopped when `run` ends, or by `close`."""

    def __init__(self, adapters: Sequence[str], options: RunOptions = RunOptions(),
                 worker_factory: Callable[[str], WorkerClient] | None = None) -> None:
        self.adapters = list(adapters)
        self.options = options
        self.factory = worker_factory or WorkerClient
        self._lanes: _Lanes | None = None

    def start(self, lanes: int | None = None) -> None:
        """Start the workers of ``lanes`` lanes (default ``options.jobs``) in the background;
        nothing if they are started already."""
        if self._lanes is None:
            self._lanes = _Lanes(self.adapters, max(1, lanes or self.options.jobs), self.factory, self.options)

    def close(self) -> None:
        """Stop every worker (and fork server) this runner started."""
        lanes, self._lanes = self._lanes, None
        if lanes is not None:
            lanes.stop()

    def run(self, scenarios: Sequence[Scenario], progress: ProgressFn | None = None) -> RunReport:
        self.start(min(self.options.jobs, len(scenarios) or 1))
        lanes = self._lanes
        assert lanes is not None
        items = work_items(scenarios, self.adapters, self.options.matrix)
        queue = WorkQueue(items)
        results: list[Result | None] = [None] * len(items)

        def lane(pool: AdapterPool) -> None:
            ready = lanes.events[id(pool)]
            while not queue.empty():
                seen = lanes.changes
                if lanes.admit():
                    try:
                        item = queue.take(lambda name: ready[name].is_set())  # (never a starting worker)
                        if item is not None:
                            results[item.index] = result = self._run_item(pool, item)
                            if progress:
                                progress(result)
                            continue
                    finally:
                        lanes.release()
                lanes.wait_for_change(seen)

        try:
            with ThreadPoolExecutor(max_workers=len(lanes.pools)) as executor:
                list(executor.map(lane, lanes.pools))
            lanes.join()
        finally:
            self.close()
        return self._report(scenarios, items, results, lanes)

    def _run_item(self, pool: AdapterPool, item: WorkItem) -> Result:
        if len(item.adapters) == 1:
            result = run_pair(pool, item.scenario, item.adapters[0], self.options)
        else:
            result = run_matrix_pair(pool, item.scenario, *item.adapters, self.options)
        if self.options.divergences:
            from .expectations import apply_expectations

            result = apply_expectations(result, self.options.divergences, pool.descriptions)
        return result

    def _report(self, scenarios: Sequence[Scenario], items: list[WorkItem], results: list[Result | None],
                lanes: "_Lanes") -> RunReport:
        descriptions: dict[str, dict[str, Any]] = {}
        for pool in lanes.pools:
            for name, description in pool.descriptions.items():
                descriptions.setdefault(name, description)
        report = RunReport(descriptions={n: descriptions.get(n, _unknown(n)) for n in self.adapters})
        per_scenario: dict[int, list[Result]] = {}
        for item, result in zip(items, results):
            assert result is not None, f"no result for {item}"
            per_scenario.setdefault(id(item.scenario), []).append(result)
        for scenario in scenarios:
            own = per_scenario.get(id(scenario), [])
            report.results += own
            comparison = compare_results(scenario.id, own)
            if comparison:
                report.comparisons.append(comparison)
        report.duration = time.perf_counter() - lanes.created
        report.startup = lanes.finished - lanes.created
        return report


def usable_cpus() -> int:
    """The CPUs this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


class _Lanes:
    """The lanes of a run: one `AdapterPool` each (``pools``), with every worker of every lane
    starting at once, in the background, as soon as this is made. Their start-ups (an import of
    TensorFlow takes seconds) overlap each other and the pairs of the adapters that are ready.
    ``events[id(pool)][adapter]`` is set once that worker has started or failed to (a failure
    is left for its first pair to report); ``finished`` is when the last one did.

    The slowest start-up is what the run waits for, so while any worker is starting one CPU is
    left to the start-ups: lanes run pairs on at most ``cpus - 1`` of them (`admit`).

    A lane with nothing it may run sleeps until something changes (`changes` counts a worker
    that started, and a lane leaving a pair while another lane was refused one), never merely
    because another lane finished a pair: two lanes waking each other up for every pair kept
    the parent busy for seconds while TensorFlow imported."""

    def __init__(self, adapters: Sequence[str], lanes: int, factory: Callable[[str], WorkerClient],
                 options: RunOptions) -> None:
        self.created = time.perf_counter()
        self.pools = [AdapterPool(adapters, factory) for _ in range(lanes)]
        self.servers = _share_imports(self.pools)
        self.events = {id(pool): {name: threading.Event() for name in adapters} for pool in self.pools}
        self.finished = self.created
        self.changes = 0
        self._changed = threading.Condition()
        self._threads = [threading.Thread(target=self._start, args=(pool, name, options), daemon=True)
                         for pool in self.pools for name in adapters]
        self._starting = len(self._threads)
        self._running = 0  # lanes running a pair
        self._refused = False  # a lane was refused a pair since the last release
        self._lanes_while_starting = max(1, usable_cpus() - 1)
        for thread in self._threads:
            thread.start()

    def admit(self) -> bool:
        """Whether a lane may run a pair now; if so it must `release` afterwards."""
        with self._changed:
            if self._starting and self._running >= self._lanes_while_starting:
                self._refused = True
                return False
            self._running += 1
            return True

    def release(self) -> None:
        with self._changed:
            self._running -= 1
            if self._refused:
                self._refused = False
                self._change()

    def _change(self) -> None:
        self.changes += 1
        self._changed.notify_all()

    def _start(self, pool: AdapterPool, name: str, options: RunOptions) -> None:
        try:
            pool.device(name, options)
        except Exception:  # noqa: BLE001 - reported per scenario, with the reason
            pass
        finally:
            with self._changed:
                self.finished = max(self.finished, time.perf_counter())
                self._starting -= 1
                self.events[id(pool)][name].set()
                self._change()

    def wait_for_change(self, seen: int) -> None:
        """Until `changes` has moved on from ``seen`` (read before the lane looked for a pair,
        so a change while it looked returns at once); a lane with nothing to run waits here."""
        with self._changed:
            self._changed.wait_for(lambda: self.changes != seen, timeout=1.0)

    def join(self) -> None:
        """Until every start-up has ended (a lane may finish while a worker it never needed starts)."""
        for thread in self._threads:
            thread.join()

    def stop(self) -> None:
        """Stop every worker and fork server, all at once rather than one after another. Before
        every worker has started (a run given up early: bad usage found after `Runner.start`)
        they are killed at once: one still importing would notice a polite stop only later."""
        with self._changed:
            given_up = self._starting > 0
        _stop_all(self.pools, 0.0 if given_up else 2.0)
        for server in self.servers:
            server.request_stop()
        for server in self.servers:
            server.stop(0.0 if given_up else 5.0)
        # A start-up thread may be between creating a worker's process and recording it, where
        # `_stop_all` cannot see the process: it kills it itself on finding the worker closed
        # (`WorkerClient._start`). Wait for that, or the process could outlive the run.
        for thread in self._threads:
            thread.join(timeout=_START_THREAD_PATIENCE)


# (a start-up thread ends within moments of its worker's close: this bounds a stuck one)
_START_THREAD_PATIENCE = 30.0


def _share_imports(pools: Sequence[AdapterPool]) -> list[ForkServer]:
    """With several lanes, fork each adapter's workers from one process that has imported the
    implementation once (`conformance.forkserver`), instead of importing it in every lane."""
    if len(pools) < 2 or not forkserver_supported():
        return []
    servers: dict[tuple[str, tuple[tuple[str, str], ...]], ForkServer] = {}
    for pool in pools:
        for client in pool.workers.values():
            spec = client.forkable_spec() if hasattr(client, "forkable_spec") else None
            if spec is None:
                continue
            key = (spec, tuple(sorted((client.env or {}).items())))
            if key not in servers:
                servers[key] = ForkServer(spec, client.env)
            client.forkserver = servers[key]
    return list(servers.values())


def _stop_all(pools: Sequence[AdapterPool], patience: float) -> None:
    """Ask every worker to exit, then wait for them (for good: see `WorkerClient.close`),
    killing those not gone within ``patience`` seconds: their exits overlap."""
    workers = [worker for pool in pools for worker in pool.workers.values()]
    for worker in workers:
        worker.request_stop()
    for worker in workers:
        worker.close(patience)


def compare_results(scenario_id: str, results: Sequence[Result]) -> Comparison | None:
    """Where the adapters that ran a scenario to completion observed different things."""
    from .compare import differences

    completed = [r for r in results if r.status in ("pass", "fail") and r.writer is None]
    found = differences({r.adapter: Outcome("completed", r.observations) for r in completed})
    if not found:
        return None
    return Comparison(scenario_id, tuple(r.adapter for r in completed), tuple(d.to_json() for d in found))


def _unknown(name: str) -> dict[str, Any]:
    return AdapterDescription(name, "unknown (the adapter never started)", "?").to_json()
