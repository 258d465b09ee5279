"""Benchmarks of the harness itself, measured in one run (issue: speed).

1. ``tfconf run`` over the whole spec for each adapter: wall time and median time per scenario.
2. Harness overhead: the ``tensorflow`` adapter's time per scenario (the round trip to its
   worker) against the same scenario's rendered Python script executed in-process with real
   TensorFlow, both the median of three runs in one warm process (target ≤ 1.25×).
3. ``reference`` against ``tensorflow`` per scenario (target: reference ≥ 10× faster).
4. Parallel scaling: ``-j 2`` against ``-j 1`` (target ≥ 1.6× on 2 cores), for the default run
   (the whole spec on every available adapter, writer × reader pairs included) and for the
   ``tensorflow`` and ``reference`` adapters alone on the scenarios without a reader stage.

Usage: ``.venv/bin/python benchmarks/suite.py [--json out/benchmarks-suite.json] [-k EXPR]``
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from conformance.loader import load_spec  # noqa: E402
from conformance.registry import adapter_entries  # noqa: E402
from conformance.render import render_python  # noqa: E402
from conformance.runner import AdapterPool, RunOptions, Runner, run_pair  # noqa: E402
from conformance.selection import select  # noqa: E402

SCRIPT_TIMER = r'''
import contextlib, io, json, os, sys, time
out = os.fdopen(os.dup(1), "w"); os.dup2(2, 1)
import tensorflow.compat.v1 as tf
tf.disable_v2_behavior()
times = {}
for item in json.load(sys.stdin):
    code = compile(item["source"], item["id"], "exec")
    best = []
    for _ in range(item["repeat"]):
        s = tf.get_default_session()
        if s is not None: s.close()
        tf.reset_default_graph()
        start = time.perf_counter()
        with contextlib.redirect_stdout(io.StringIO()):
            exec(code, {"__name__": "__main__"})
        best.append(time.perf_counter() - start)
    times[item["id"]] = sorted(best)[len(best) // 2]
json.dump(times, out); out.close()
'''


def run_suite(scenarios: list, adapters: list[str], jobs: int, matrix: bool = False) -> tuple[float, dict, float]:
    """Wall time, per-pair durations, and the wall time after every worker had started."""
    started = time.perf_counter()
    report = Runner(adapters, RunOptions(jobs=jobs, matrix=matrix)).run(scenarios)
    wall = time.perf_counter() - started
    durations = {(r.scenario, r.adapter): r.duration for r in report.results if r.status in ("pass", "fail")}
    return wall, durations, wall - report.startup


def adapter_times(scenarios: list, adapter: str, repeat: int) -> dict[str, float]:
    """Median duration of each scenario run ``repeat`` times on one warm worker — the same
    footing as `rendered_times`, which also repeats in one warm process."""
    pool = AdapterPool([adapter])
    options = RunOptions(matrix=False)
    times: dict[str, list[float]] = {}
    try:
        for _ in range(repeat):
            for scenario in scenarios:
                result = run_pair(pool, scenario, adapter, options)
                if result.status in ("pass", "fail"):
                    times.setdefault(scenario.id, []).append(result.duration)
    finally:
        pool.stop()
    return {k: statistics.median(v) for k, v in times.items()}


def rendered_times(scenarios: list, repeat: int) -> dict[str, float]:
    payload = [{"id": s.id, "source": render_python(s), "repeat": repeat} for s in scenarios]
    proc = subprocess.run([sys.executable, "-c", SCRIPT_TIMER], input=json.dumps(payload), capture_output=True,
                          text=True, cwd=ROOT, env={**os.environ, "TF_CPP_MIN_LOG_LEVEL": "2"}, timeout=1800)
    if proc.returncode:
        raise RuntimeError(proc.stderr[-2000:])
    return json.loads(proc.stdout)


def scaling(scenarios: list, adapters: list[str], matrix: bool) -> dict:
    """``-j 1`` then ``-j 2`` on the same scenarios: wall times (with and without the workers'
    start-up) and their ratios."""
    serial, _, serial_warm = run_suite(scenarios, adapters, jobs=1, matrix=matrix)
    parallel, _, parallel_warm = run_suite(scenarios, adapters, jobs=2, matrix=matrix)
    return {"adapters": adapters, "matrix": matrix, "scenarios": len(scenarios),
            "j1_s": round(serial, 3), "j2_s": round(parallel, 3), "speedup": round(serial / parallel, 3),
            "j1_after_startup_s": round(serial_warm, 3), "j2_after_startup_s": round(parallel_warm, 3),
            "speedup_after_startup": round(serial_warm / parallel_warm, 3)}


def median_ratio(numerators: dict, denominators: dict) -> float | None:
    ratios = [numerators[k] / denominators[k] for k in numerators if k in denominators and denominators[k] > 0]
    return statistics.median(ratios) if ratios else None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", default=str(ROOT / "out" / "benchmarks-suite.json"))
    parser.add_argument("-k", dest="keyword", help="select scenarios (default: the whole spec)")
    args = parser.parse_args()
    everything = select(load_spec().scenarios, args.keyword)
    scenarios = [s for s in everything if not s.has_reader]
    available = [n for n, e in adapter_entries().items() if e.unavailable is None]
    figures: dict = {"scenarios": len(scenarios), "cpus": os.cpu_count(), "adapters": {}}

    per_adapter = {}
    for adapter in available:
        wall, durations, _ = run_suite(scenarios, [adapter], jobs=1)
        per_adapter[adapter] = {s: d for (s, _), d in durations.items()}
        figures["adapters"][adapter] = {"wall_s": round(wall, 3), "median_ms": round(
            1000 * statistics.median(durations.values()), 3) if durations else None}

    if "tensorflow" in per_adapter:
        measured = [s for s in scenarios if s.id in per_adapter["tensorflow"]]
        direct = rendered_times(measured, repeat=3)
        through_adapter = adapter_times(measured, "tensorflow", repeat=3)
        figures["harness_overhead"] = median_ratio(through_adapter, direct)
    if "tensorflow" in per_adapter and "reference" in per_adapter:
        figures["reference_speedup"] = median_ratio(per_adapter["tensorflow"], per_adapter["reference"])
    main_adapters = [a for a in ("tensorflow", "reference") if a in available] or available[:1]
    figures["parallel"] = {
        "default_run": scaling(everything, available, matrix=True),
        "tensorflow_reference": scaling(scenarios, main_adapters, matrix=False),
    }

    Path(args.json).parent.mkdir(parents=True, exist_ok=True)
    Path(args.json).write_text(json.dumps(figures, indent=2))
    print(f"{'measure':<44} {'value':>12}  target")
    for adapter, f in figures["adapters"].items():
        print(f"{'tfconf run, ' + adapter + ' (wall s)':<44} {f['wall_s']:>12.2f}")
        print(f"{'  median per scenario (ms)':<44} {f['median_ms'] or 0:>12.2f}")
    if figures.get("harness_overhead") is not None:
        print(f"{'harness overhead (adapter / plain script)':<44} {figures['harness_overhead']:>11.2f}x  <= 1.25x")
    if figures.get("reference_speedup") is not None:
        print(f"{'reference speed-up over tensorflow':<44} {figures['reference_speedup']:>11.1f}x  >= 10x")
    for key, label in (("default_run", "default run"), ("tensorflow_reference", "tensorflow + reference")):
        p = figures["parallel"][key]
        print(f"{'-j 2 over -j 1, ' + label + ' (wall)':<44} {p['speedup']:>11.2f}x  >= 1.6x"
              f"   ({p['j1_s']:.1f} s / {p['j2_s']:.1f} s)")
        print(f"{'  once every worker has started':<44} {p['speedup_after_startup']:>11.2f}x")
    print(f"written {args.json}")


if __name__ == "__main__":
    main()
