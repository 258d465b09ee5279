"""Parallel lanes fork their workers from one process per adapter (`conformance.forkserver`):
one import serves every lane, and a forked worker is isolated exactly as a started one is."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from conformance.runner import RunOptions, Runner
from conformance.scenario import build_scenario
from conformance.workers import WorkerClient, WorkerError

HERE = Path(__file__).parent


def scenario(ident: str):
    return build_scenario({
        "id": f"iso/{ident}", "title": ident, "claims": [],
        "program": [{"call": "constant", "args": [1.0], "kwargs": {"name": "c"}, "as": "c"}],
        "expect": [{"that": "$c.name", "equals": "c:0"}],
    })


SCENARIOS = [scenario(n) for n in ("before", "crash", "hang", "garbage", "after")]

pytestmark = pytest.mark.skipif(not (hasattr(os, "pidfd_open") and hasattr(os, "fork")),
                                reason="needs fork, fd passing and pidfds (Linux)")


def forking_factory(trace: Path):
    def make(name: str) -> WorkerClient:
        env = {"PYTHONPATH": f"{HERE}:{HERE.parent.parent}", "TFCONF_TEST_TRACE": str(trace)}
        return WorkerClient(name, [sys.executable, "-m", "conformance.worker", f"fake_api:{name}"], env=env)
    return make


def test_lanes_share_one_import_of_the_implementation(tmp_path):
    many = [scenario(f"s{i}") for i in range(8)]
    report = Runner(["PreloadCountingAdapter"], RunOptions(jobs=2), worker_factory=forking_factory(tmp_path)).run(many)
    assert {r.status for r in report.results} == {"pass"}
    preloads = [p.name.split("-")[1] for p in tmp_path.glob("preload-*")]
    assert len(preloads) == 1
    parents = {p.name.split("-")[2] for p in tmp_path.glob("run-*")}
    assert parents == set(preloads)  # every worker that ran a scenario was forked from it


def test_one_lane_starts_its_workers_directly(tmp_path):
    report = Runner(["PreloadCountingAdapter"], worker_factory=forking_factory(tmp_path)).run(SCENARIOS[:2])
    assert {r.status for r in report.results} == {"pass"}
    assert not list(tmp_path.glob("preload-*"))
    assert {p.name.split("-")[2] for p in tmp_path.glob("run-*")} == {str(os.getpid())}


@pytest.mark.parametrize("jobs", [1, 2])
def test_implementations_load_with_the_collector_off_and_run_with_it_on(tmp_path, jobs):
    # Collections during an import free next to nothing; what was imported is frozen before the
    # collector comes back on, so that no collection scans it (or, forked, copies its pages).
    report = Runner(["CollectorWatchingAdapter"], RunOptions(jobs=jobs),
                    worker_factory=forking_factory(tmp_path)).run(SCENARIOS[:2])
    assert {r.status for r in report.results} == {"pass"}
    steps = {p.name for p in tmp_path.glob("gc-*")}
    expected = {"gc-load-False-False", "gc-prepare-True-True", "gc-run-True-True"}
    if jobs > 1:
        expected.add("gc-preload-False-False")  # in the fork server, which never turns it back on
    assert steps == expected


@pytest.mark.parametrize("adapter, broken, words", [
    ("CrashingAdapter", "iso/crash", "exited with code 3"),
    ("HangingAdapter", "iso/hang", "timed out after 3 s"),
    ("GarbageAdapter", "iso/garbage", "not the protocol"),
])
def test_a_broken_forked_worker_costs_only_its_scenario(tmp_path, adapter, broken, words):
    report = Runner([adapter], RunOptions(timeout=3, jobs=2), worker_factory=forking_factory(tmp_path)).run(SCENARIOS)
    statuses = {r.scenario: r.status for r in report.results}
    assert statuses.pop(broken) == "error"
    assert set(statuses.values()) == {"pass"}, statuses
    (error,) = [r for r in report.results if r.status == "error"]
    assert words in error.error


def test_a_server_that_cannot_start_leaves_the_workers_to_say_why(tmp_path):
    report = Runner(["NoSuchAdapter"], RunOptions(jobs=2), worker_factory=forking_factory(tmp_path)).run(SCENARIOS[:2])
    assert [r.status for r in report.results] == ["error", "error"]
    assert all("NoSuchAdapter" in r.error for r in report.results)


def test_the_fork_server_can_be_turned_off(tmp_path, monkeypatch):
    monkeypatch.setenv("TFCONF_NO_FORKSERVER", "1")
    many = [scenario(f"s{i}") for i in range(4)]
    report = Runner(["PreloadCountingAdapter"], RunOptions(jobs=2), worker_factory=forking_factory(tmp_path)).run(many)
    assert {r.status for r in report.results} == {"pass"}
    assert not list(tmp_path.glob("preload-*"))


def test_an_adapter_that_refuses_to_be_forked_gets_workers_of_its_own(tmp_path):
    many = [scenario(f"s{i}") for i in range(4)]
    report = Runner(["UnforkableAdapter"], RunOptions(jobs=2), worker_factory=forking_factory(tmp_path)).run(many)
    assert [r.status for r in report.results] == ["pass"] * 4


def test_a_preload_that_starts_threads_is_not_forked(tmp_path, monkeypatch):
    import conformance.forkserver as fs

    refused = []
    original = fs.ForkServer.spawn

    def spawn(self, stderr):
        try:
            return original(self, stderr)
        except fs.ForkServerError as error:
            refused.append(str(error))
            raise

    monkeypatch.setattr(fs.ForkServer, "spawn", spawn)
    many = [scenario(f"s{i}") for i in range(4)]
    report = Runner(["ThreadingPreloadAdapter"], RunOptions(jobs=2), worker_factory=forking_factory(tmp_path)).run(many)
    assert [r.status for r in report.results] == ["pass"] * 4  # lanes started their own workers
    assert refused and all("started threads" in reason for reason in refused)


def test_a_runner_closed_before_its_workers_started_stops_them_at_once(tmp_path, monkeypatch):
    # The CLI starts the workers before it loads the spec; bad usage found then ends the run.
    started = []
    popen = subprocess.Popen
    monkeypatch.setattr(subprocess, "Popen", lambda command, **kw: started.append(command[2]) or popen(command, **kw))
    runner = Runner(["SlowPreloadAdapter"], RunOptions(jobs=2), worker_factory=forking_factory(tmp_path))
    runner.start()
    lanes = runner._lanes
    server = lanes.servers[0]._process
    runner.close()
    lanes.join()  # the start-ups give up: their fork server is gone
    assert server.returncode == -signal.SIGKILL  # killed in its preload, not waited for
    assert started == ["conformance.forkserver"]  # and no worker was started afresh instead
    worker = lanes.pools[0].workers["SlowPreloadAdapter"]
    with pytest.raises(WorkerError, match="closed"):
        worker.request({"op": "describe"}, 5)


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_runner_closed_while_a_worker_process_is_being_created_leaves_none_behind(tmp_path, monkeypatch, jobs):
    # A start-up thread between creating a process and recording it cannot be stopped by
    # `close`, which finds no process yet: `close` waits for it to see the runner closed and
    # kill its process itself (or the CLI, exiting on bad usage, would leave it running).
    created, window = [], threading.Event()
    popen = subprocess.Popen

    def slow_popen(command, **kw):  # type: ignore[no-untyped-def]
        process = popen(command, **kw)
        created.append(process)
        window.set()
        time.sleep(0.5)
        return process

    monkeypatch.setattr(subprocess, "Popen", slow_popen)
    monkeypatch.setenv("TFCONF_NO_FORKSERVER", "1")
    runner = Runner(["FakeAdapter"], RunOptions(jobs=jobs), worker_factory=forking_factory(tmp_path))
    runner.start()
    assert window.wait(30)
    runner.close()
    assert created and all(process.poll() is not None for process in created)
