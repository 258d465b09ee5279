"""Every scopes and graph scenario on ``reference`` and on ``tensorflow``, timed in one run.

Each adapter runs in its own subprocess (the adapters' ``run()`` in-process there, as tfconf's
workers call it, without the JSON protocol in the timing): one untimed warm-up pass over all
scenarios (imports, first-use caches), then ``--repeat`` timed passes, the two processes taking
turns pass by pass so that a change in the machine's load affects both alike. Per scenario the
median of the passes is taken on each side; the table shows those medians and their ratio
(tensorflow / reference: how many times faster the reference is), and the summary the overall
ratio (sum of TF medians / sum of reference medians) and the geometric mean and minimum of the
per-scenario ratios. Target (issue 3): reference ≥ 10× faster.

Two measurements: ``adapter`` times the adapters' ``run()`` (tfconf's interpreter, recorder and
the implementation: what a ``tfconf run`` costs per scenario), ``script`` times each scenario's
rendered TF1 program (``tfconf render``) executed in-process with ``import tensorflow.compat.v1
as tf`` or, unchanged otherwise, ``import reference_impl.compat.v1 as tf`` (without making a
temporary directory or printing the JSON record, harness costs no TF1 program has) — closer to
the implementation's own speed: the interpreter's overhead is the same on both sides and bounds
the ratio of the smallest scenarios in the ``adapter`` figures.

Usage: ``.venv/bin/python benchmarks/reference_vs_tf.py [OUT.json] [--repeat N] [-k SUBSTR]``
(default output: ``out/reference_vs_tf.json``, which git ignores).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
AREAS = ("spec/scopes", "spec/graph")
DEFAULT_OUT = ROOT / "out" / "reference_vs_tf.json"
TARGET = 10.0

# The subprocess: argv = adapter name, scenario file, mode. Each line "pass" on stdin runs every
# scenario once and answers one JSON line {id: [seconds, status]}; end of input ends it. The
# file holds raw scenarios (mode "adapter") or rendered scripts {"id", "source"} ("script").
CHILD = r'''
import contextlib, io, json, os, shutil, sys, tempfile, time
out = os.fdopen(os.dup(1), "w", buffering=1)
os.dup2(2, 1)  # whatever the implementations print goes to stderr
sys.stdout = sys.stderr
name, mode = sys.argv[1], sys.argv[3]
with open(sys.argv[2]) as f:
    items = json.load(f)
if mode == "adapter":
    from conformance.registry import load_adapter
    from conformance.worker import run_scenario
    adapter = load_adapter(name)
else:
    module = {"tensorflow": "tensorflow.compat.v1", "reference": "reference_impl.compat.v1"}[name]
    tf = __import__(module, fromlist=["*"])
    tf.disable_v2_behavior()
    # The program as rendered, less two costs of the harness that no TF1 program has: making
    # the scenario's temporary directory (one made here serves) and printing the JSON record.
    workdir = tempfile.mkdtemp(prefix="tfconf-bench-")
    codes = [(item["id"], compile(item["source"]
                                  .replace("import tensorflow.compat.v1 as tf",
                                           f"import {module} as tf")
                                  .replace('tempfile.mkdtemp(prefix="tfconf-")', repr(workdir))
                                  .replace("\nrec.dump()\n", "\n"), item["id"], "exec"))
             for item in items]
for line in sys.stdin:
    result = {}
    if mode == "adapter":
        for raw in items:
            workdir = tempfile.mkdtemp(prefix="tfconf-bench-")
            start = time.perf_counter()
            outcome = run_scenario(adapter, raw, None, workdir)
            elapsed = time.perf_counter() - start
            shutil.rmtree(workdir, ignore_errors=True)
            result[raw["id"]] = [elapsed, outcome.status]
    else:
        for sid, code in codes:
            session = tf.get_default_session()
            if session is not None:
                session.close()
            tf.reset_default_graph()
            start = time.perf_counter()
            with contextlib.redirect_stdout(io.StringIO()):
                exec(code, {"__name__": "__main__"})
            result[sid] = [time.perf_counter() - start, "completed"]
    out.write(json.dumps(result) + "\n")
'''


def load_scenarios(pattern: str | None) -> list[dict]:
    sys.path.insert(0, str(ROOT))
    from conformance.loader import load_spec

    loaded = load_spec([ROOT / a for a in AREAS])
    if loaded.problems:
        raise SystemExit("spec problems:\n" + "\n".join(map(str, loaded.problems)))
    return [dict(s.raw) for s in loaded.scenarios if not pattern or pattern in s.id]


def time_adapters(names: list[str], scenarios: list[dict], repeat: int,
                  mode: str = "adapter") -> dict[str, dict]:
    """Per adapter: {"times": {id: [seconds per pass]}, "status": {id: status}}."""
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(
        [str(ROOT)] + [p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p]))
    items = scenarios
    if mode == "script":
        from conformance.loader import load_spec
        from conformance.render import render_python

        wanted = {s["id"] for s in scenarios}
        items = [{"id": s.id, "source": render_python(s)}
                 for s in load_spec([ROOT / a for a in AREAS]).scenarios if s.id in wanted]
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
        json.dump(items, f)
    procs = {name: subprocess.Popen([sys.executable, "-c", CHILD, name, f.name, mode], cwd=ROOT,
                                    env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                    stderr=subprocess.DEVNULL, text=True) for name in names}
    data = {name: {"times": {s["id"]: [] for s in scenarios}, "status": {}} for name in names}
    try:
        for n in range(repeat + 1):  # pass 0 warms up and is not timed
            for name, proc in procs.items():
                proc.stdin.write("pass\n")
                proc.stdin.flush()
                line = proc.stdout.readline()
                if not line:
                    raise SystemExit(f"the {name} process died (run it alone to see why)")
                for sid, (seconds, status) in json.loads(line).items():
                    data[name]["status"][sid] = status
                    if n:
                        data[name]["times"][sid].append(seconds)
    finally:
        for proc in procs.values():
            proc.stdin.close()
            proc.wait()
        os.unlink(f.name)
    return data


def summarise(scenarios: list[dict], ref: dict, tf: dict) -> dict:
    rows = []
    for raw in scenarios:
        sid = raw["id"]
        r, t = statistics.median(ref["times"][sid]), statistics.median(tf["times"][sid])
        rows.append({"scenario": sid, "reference_s": r, "tensorflow_s": t, "ratio": t / r,
                     "reference_status": ref["status"][sid],
                     "tensorflow_status": tf["status"][sid]})
    ratios = [row["ratio"] for row in rows]
    total_ref = sum(row["reference_s"] for row in rows)
    total_tf = sum(row["tensorflow_s"] for row in rows)
    return {
        "rows": rows,
        "overall_ratio": total_tf / total_ref,
        "geometric_mean_ratio": math.exp(statistics.fmean(math.log(x) for x in ratios)),
        "median_ratio": statistics.median(ratios),
        "min_ratio": min(ratios),
        "reference_total_s": total_ref,
        "tensorflow_total_s": total_tf,
        "scenarios_below_target": sum(x < TARGET for x in ratios),
    }


def print_table(summary: dict, width: int = 60) -> None:
    print(f"{'scenario':<{width}} {'reference ms':>12} {'tensorflow ms':>13} {'ratio':>7}")
    for row in sorted(summary["rows"], key=lambda r: r["ratio"]):
        print(f"{row['scenario'][:width]:<{width}} {row['reference_s'] * 1e3:>12.3f} "
              f"{row['tensorflow_s'] * 1e3:>13.3f} {row['ratio']:>6.1f}x")
    print()
    print(f"scenarios: {len(summary['rows'])}   "
          f"reference total {summary['reference_total_s'] * 1e3:.1f} ms, "
          f"tensorflow total {summary['tensorflow_total_s'] * 1e3:.1f} ms")
    print(f"overall ratio (sum TF / sum reference): {summary['overall_ratio']:.1f}x   "
          f"geometric mean {summary['geometric_mean_ratio']:.1f}x   "
          f"median {summary['median_ratio']:.1f}x   min {summary['min_ratio']:.1f}x   "
          f"(target >= {TARGET:.0f}x; {summary['scenarios_below_target']} scenario(s) below)")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", nargs="?", default=str(DEFAULT_OUT), help="JSON output path")
    parser.add_argument("--repeat", type=int, default=5, help="timed passes (default 5)")
    parser.add_argument("-k", dest="pattern", help="only scenarios whose id contains this")
    args = parser.parse_args(argv)
    scenarios = load_scenarios(args.pattern)
    started = time.perf_counter()
    measured = {}
    for mode in ("adapter", "script"):
        timed = time_adapters(["reference", "tensorflow"], scenarios, args.repeat, mode)
        measured[mode] = summarise(scenarios, timed["reference"], timed["tensorflow"])
        print(f"== {mode}: " + {"adapter": "the adapters' run() (interpreter + implementation)",
                                 "script": "the rendered TF1 scripts, in-process"}[mode])
        print_table(measured[mode])
        print()
    result = {
        "benchmark": "reference_vs_tf", "areas": list(AREAS), "repeat": args.repeat,
        "python": platform.python_version(), "machine": platform.machine(),
        "cpus": os.cpu_count(), "started": time.strftime("%Y-%m-%dT%H:%M:%S"),
        "wall_s": time.perf_counter() - started,
        "load_average": os.getloadavg(),
        "target": TARGET,
        **measured,
    }
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=1) + "\n")
    print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
