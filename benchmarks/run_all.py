"""Every benchmark in one command, each measured in this one run, collected into one table.

    .venv/bin/python benchmarks/run_all.py [--quick]

Runs, each in its own process (so TensorFlow's process-global mode and thread pools stay apart):
the harness suite (wall time per adapter, harness overhead, reference vs TensorFlow, -j
scaling), reference against TensorFlow per scenario, the CPU kernels against TensorFlow
(pad / concat / reduce_sum of 4096×4096, an EMA and an Adam step over 100 × 1M), the HTML
report of 10,000 records, fuzz throughput, and the GPU kernels where a GPU is present. Every
figure lands in ``out/benchmarks.json``; the table is printed. Targets are the issues' and are
shown beside the figures; nothing here fails a build.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "out"

BENCHMARKS = [
    ("suite", ["benchmarks/suite.py"], ["--repeat", "1"]),
    ("reference_vs_tf", ["benchmarks/reference_vs_tf.py"], ["--repeat", "1"]),
    ("kernels_ops", ["benchmarks/kernels_ops.py"], ["--repeat", "5"]),
    ("kernels_train", ["benchmarks/kernels_train.py"], []),
    ("report_render", ["benchmarks/report_render.py"], []),
    ("fuzz_throughput", ["benchmarks/fuzz_throughput.py"], ["--examples", "30"]),
    ("gpu_kernels", ["benchmarks/gpu_kernels.py"], []),
]


def run(name: str, script: list[str], quick_args: list[str], quick: bool) -> dict:
    target = OUT / f"{name}.json"
    target.unlink(missing_ok=True)
    argv = [sys.executable, *script]
    argv += [str(target)] if name == "reference_vs_tf" else ["--json", str(target)]
    if quick:
        argv += quick_args
    started = time.perf_counter()
    proc = subprocess.run(argv, cwd=ROOT, capture_output=True, text=True)
    record = {"seconds": round(time.perf_counter() - started, 1), "exit": proc.returncode,
              "table": proc.stdout.strip()[-4000:]}
    if target.exists():
        record["figures"] = json.loads(target.read_text())
    elif proc.returncode:
        record["error"] = (proc.stderr.strip() or proc.stdout.strip())[-600:]
    return record


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer repetitions (a smoke run of the benchmarks)")
    parser.add_argument("--only", action="append", help="run only these benchmarks (repeatable)")
    args = parser.parse_args()
    OUT.mkdir(exist_ok=True)
    collected = {}
    for name, script, quick_args in BENCHMARKS:
        if args.only and name not in args.only:
            continue
        print(f"== {name}", flush=True)
        collected[name] = record = run(name, script, quick_args, args.quick)
        print(record["table"] if record["exit"] == 0 else f"(exit {record['exit']}) {record.get('error', '')}")
    (OUT / "benchmarks.json").write_text(json.dumps(collected, indent=2))
    print(f"\nall figures: {OUT / 'benchmarks.json'}")


if __name__ == "__main__":
    main()
