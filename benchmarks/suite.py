"""Benchmarks of the harness itself, measured in one run (issue: speed).

1. ``tfconf run`` over the whole spec for each adapter: wall time and median time per scenario.
2. Harness overhead: the ``tensorflow`` adapter's time per scenario (the round trip to its
   worker) against the same scenario's rendered Python script executed in-process with real
   TensorFlow, both warm, the median of ``--repeat`` passes each, the two taking turns (target ≤ 1.25×).
3. ``reference`` against ``tensorflow`` per scenario (target: reference ≥ 10× faster).
4. Parallel scaling: ``tfconf run -j 2`` against ``tfconf run -j 1``, the command a user runs,
   timed from start to exit (target ≥ 1.6× on 2 cores): the default run (the whole spec on
   every available adapter, writer × reader pairs included) and, as a second figure, the
   ``tensorflow`` and ``reference`` adapters alone without the writer × reader pairs; the
   median of ``--repeat`` alternating runs of each, which goes first alternating too (this
   machine's speed drifts between runs), with each pair's ratio, each run's CPU time and the
   CPUs it kept busy on average (CPU time over wall time: the ratio of the two runs' wall times
   is at most the ratio of these); and, beside it, the same ratio for the time after every
   worker had started (as ``tfconf run`` reports it), which shows how the lanes themselves scale.

Usage: ``.venv/bin/python benchmarks/suite.py [--json out/benchmarks-suite.json] [-k EXPR] [--repeat N]``
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import statistics
import subprocess
import sys
import tempfile
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
out = os.fdopen(os.dup(1), "w", buffering=1); os.dup2(2, 1)
import tensorflow.compat.v1 as tf
tf.disable_v2_behavior()
with open(sys.argv[1]) as f:
    codes = [(item["id"], compile(item["source"], item["id"], "exec")) for item in json.load(f)]
for line in sys.stdin:  # one pass over every program per line
    times = {}
    for sid, code in codes:
        s = tf.get_default_session()
        if s is not None: s.close()
        tf.reset_default_graph()
        start = time.perf_counter()
        with contextlib.redirect_stdout(io.StringIO()):
            exec(code, {"__name__": "__main__"})
        times[sid] = time.perf_counter() - start
    out.write(json.dumps(times) + "\n")
'''


def run_suite(scenarios: list, adapters: list[str], jobs: int, matrix: bool = False) -> tuple[float, dict]:
    """Wall time and per-pair durations."""
    started = time.perf_counter()
    report = Runner(adapters, RunOptions(jobs=jobs, matrix=matrix)).run(scenarios)
    wall = time.perf_counter() - started
    return wall, {(r.scenario, r.adapter): r.duration for r in report.results if r.status in ("pass", "fail")}


def harness_overhead(scenarios: list, repeat: int) -> dict[str, float]:
    """Per scenario, the median time through the ``tensorflow`` adapter's worker over the median
    time of its rendered script run in-process by TensorFlow, both warm: one untimed pass each,
    then ``repeat`` passes of each, taking turns (the machine's speed drifts between runs)."""
    payload = [{"id": s.id, "source": render_python(s)} for s in scenarios]
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
        json.dump(payload, f)
    script = subprocess.Popen([sys.executable, "-c", SCRIPT_TIMER, f.name], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, cwd=ROOT,
                              env={**os.environ, "TF_CPP_MIN_LOG_LEVEL": "2"})
    pool = AdapterPool(["tensorflow"])
    options = RunOptions(matrix=False)
    direct: dict[str, list[float]] = {}
    through: dict[str, list[float]] = {}
    try:
        for n in range(repeat + 1):  # pass 0 warms both up
            assert script.stdin is not None and script.stdout is not None
            script.stdin.write("pass\n")
            script.stdin.flush()
            line = script.stdout.readline()
            if not line:
                raise RuntimeError("the script timer died")
            for scenario in scenarios:
                result = run_pair(pool, scenario, "tensorflow", options)
                if n and result.status in ("pass", "fail"):
                    through.setdefault(scenario.id, []).append(result.duration)
            if n:
                for sid, seconds in json.loads(line).items():
                    direct.setdefault(sid, []).append(seconds)
    finally:
        pool.stop()
        if script.stdin:
            script.stdin.close()
        script.wait()
        os.unlink(f.name)
    ratios = {k: statistics.median(v) / statistics.median(direct[k]) for k, v in through.items() if k in direct}
    return ratios


_STARTED_AFTER = re.compile(r"every worker started after ([0-9.]+) s")


def time_cli(arguments: list[str]) -> tuple[float, float, float | None]:
    """Wall time of ``tfconf ARGUMENTS``, from start to exit; the CPU time (user + system) of its
    whole process tree (every process in it is waited for); and, for ``tfconf run``, when every
    worker had started, as its last line says (None if it does not)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "conformance.cli", *arguments], cwd=ROOT, check=False,
                          stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    found = _STARTED_AFTER.findall(done.stdout)
    startup = float(found[-1]) if found else None
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime), startup


def scaling(arguments: list[str], repeat: int) -> dict:
    """``tfconf run -j 1 ARGUMENTS`` and ``-j 2``, alternating ``repeat`` times (which goes first
    alternates too, so that a drift of the machine's speed favours neither): the median wall
    times and their ratio, each pair's ratio, and how many CPUs each kept busy on average (CPU
    time over wall time: the ratio can be no more than the one over the other); and the same
    ratio for the time after every worker had started (TensorFlow's import, which more lanes
    cannot shorten and which runs beside ``-j 1``'s lane, on the CPU it leaves idle)."""
    runs: dict[int, list[tuple[float, float, float | None]]] = {1: [], 2: []}
    for k in range(repeat):
        for jobs in ((1, 2) if k % 2 == 0 else (2, 1)):
            runs[jobs].append(time_cli(["run", "-j", str(jobs), *arguments]))
    serial, parallel = (statistics.median(w for w, _c, _s in runs[j]) for j in (1, 2))
    busy = {j: statistics.median(c / w for w, c, _s in runs[j]) for j in (1, 2)}
    pairs = [one[0] / two[0] for one, two in zip(runs[1], runs[2])]
    figures = {"arguments": arguments, "repeat": repeat, "j1_s": round(serial, 3), "j2_s": round(parallel, 3),
               "speedup": round(serial / parallel, 3), "pair_speedups": [round(r, 3) for r in pairs],
               "j1_runs_s": [round(w, 2) for w, _c, _s in runs[1]],
               "j2_runs_s": [round(w, 2) for w, _c, _s in runs[2]],
               "j1_cpu_s": [round(c, 2) for _w, c, _s in runs[1]], "j2_cpu_s": [round(c, 2) for _w, c, _s in runs[2]],
               "j1_busy_cpus": round(busy[1], 2), "j2_busy_cpus": round(busy[2], 2)}
    if all(s is not None for j in (1, 2) for _w, _c, s in runs[j]):
        after = {j: statistics.median(w - s for w, _c, s in runs[j]) for j in (1, 2)}  # type: ignore[operator]
        figures.update({"j1_startup_s": [s for _w, _c, s in runs[1]], "j2_startup_s": [s for _w, _c, s in runs[2]],
                        "j1_after_startup_s": round(after[1], 3), "j2_after_startup_s": round(after[2], 3),
                        "speedup_after_startup": round(after[1] / after[2], 3)})
    return figures


def median_ratio(numerators: dict, denominators: dict) -> float | None:
    ratios = [numerators[k] / denominators[k] for k in numerators if k in denominators and denominators[k] > 0]
    return statistics.median(ratios) if ratios else None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", default=str(ROOT / "out" / "benchmarks-suite.json"))
    parser.add_argument("-k", dest="keyword", help="select scenarios (default: the whole spec)")
    parser.add_argument("--repeat", type=int, default=5,
                        help="passes of the harness-overhead measure and runs of each -j setting (default 5)")
    args = parser.parse_args()
    scenarios = [s for s in select(load_spec().scenarios, args.keyword) if not s.has_reader]
    available = [n for n, e in adapter_entries().items() if e.unavailable is None]
    figures: dict = {"scenarios": len(scenarios), "cpus": os.cpu_count(), "repeat": args.repeat, "adapters": {}}

    per_adapter = {}
    for adapter in available:
        wall, durations = run_suite(scenarios, [adapter], jobs=1)
        per_adapter[adapter] = {s: d for (s, _), d in durations.items()}
        figures["adapters"][adapter] = {"wall_s": round(wall, 3), "median_ms": round(
            1000 * statistics.median(durations.values()), 3) if durations else None}

    if "tensorflow" in per_adapter:
        measured = [s for s in scenarios if s.id in per_adapter["tensorflow"]]
        ratios = harness_overhead(measured, repeat=args.repeat)
        figures["harness_overhead"] = statistics.median(ratios.values()) if ratios else None
    if "tensorflow" in per_adapter and "reference" in per_adapter:
        figures["reference_speedup"] = median_ratio(per_adapter["tensorflow"], per_adapter["reference"])
    selection = ["-k", args.keyword] if args.keyword else []
    main_adapters = [a for a in ("tensorflow", "reference") if a in available] or available[:1]
    figures["parallel"] = {
        "default_run": scaling(selection, args.repeat),
        "tensorflow_reference": scaling(
            [*selection, *(f"--adapter={a}" for a in main_adapters), "--no-matrix"], args.repeat),
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
        # Through the workers each side also pays tfconf's own per-scenario cost (interpreter,
        # observations, JSON), the same on both: the 10x target is reference_vs_tf.py's.
        print(f"{'reference over tensorflow, through workers':<44} {figures['reference_speedup']:>11.1f}x"
              "  (>= 10x: reference_vs_tf.py)")
    for key, label in (("default_run", "default run"), ("tensorflow_reference", "tensorflow + reference")):
        p = figures["parallel"][key]
        print(f"{'-j 2 over -j 1, ' + label + ' (wall)':<44} {p['speedup']:>11.2f}x  >= 1.6x"
              f"   ({p['j1_s']:.1f} s / {p['j2_s']:.1f} s; pairs {min(p['pair_speedups']):.2f}-"
              f"{max(p['pair_speedups']):.2f}x; CPUs busy {p['j1_busy_cpus']:.2f} / {p['j2_busy_cpus']:.2f})")
        if "speedup_after_startup" in p:
            print(f"{'  the same, once every worker had started':<44} {p['speedup_after_startup']:>11.2f}x"
                  f"   ({p['j1_after_startup_s']:.1f} s / {p['j2_after_startup_s']:.1f} s)")
    print(f"written {args.json}")


if __name__ == "__main__":
    main()
