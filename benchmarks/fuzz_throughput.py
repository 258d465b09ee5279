"""Fuzz throughput: generated programs per second, per adapter and per area.

    python benchmarks/fuzz_throughput.py [--adapter A --adapter B] [--area AREA] [--examples N]
                                         [--seed S] [--json FILE]

Two numbers per area: the wall-clock rate of the whole loop (generate, run on every adapter
concurrently, compare; shrinking included when something diverges), and each adapter's own
rate (programs divided by the time its worker spent running them, as the runner measured it:
the request round trip, so the worker protocol's cost is in it). Worker start-up (TensorFlow's
import takes seconds) is paid once, before timing starts. Prints a table and writes JSON.
"""

from __future__ import annotations

import argparse
import json
import platform
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from conformance.fuzz import AREAS  # noqa: E402
from conformance.fuzz.driver import FuzzOptions, Fuzzer  # noqa: E402
from conformance.fuzz.program import scenario  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--adapter", action="append", help="default: tensorflow and reference")
    parser.add_argument("--area", action="append", choices=AREAS, help="default: all")
    parser.add_argument("--examples", type=int, default=100, help="programs generated per area")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--json", default="out/fuzz_throughput.json", help="where to write the JSON")
    args = parser.parse_args(argv)
    adapters = args.adapter or ["tensorflow", "reference"]
    areas = args.area or list(AREAS)
    rows = []
    with Fuzzer(adapters, FuzzOptions(max_examples=args.examples, seed=args.seed)) as fuzzer:
        started = time.perf_counter()
        fuzzer.run_program(scenario("warmup", [{"call": "constant", "args": [1.0], "as": "c"}], "warm-up"))
        warmup = time.perf_counter() - started
        for area in areas:
            report = fuzzer.fuzz_area(area)
            rows.append({"area": area, "programs": report.programs, "seconds": round(report.duration, 2),
                         "programs_per_second": round(report.throughput, 2),
                         "adapter_programs_per_second": {k: round(v, 2)
                                                         for k, v in report.adapter_throughput().items()},
                         "divergences": report.divergences, "gaps": report.gaps})
    print(f"worker start-up (once): {warmup:.1f} s")
    print(f"{'area':<9} {'programs':>8} {'seconds':>8} {'loop/s':>7}  " + "  ".join(f"{a + '/s':>14}" for a in adapters))
    for row in rows:
        per = row["adapter_programs_per_second"]
        print(f"{row['area']:<9} {row['programs']:>8} {row['seconds']:>8} {row['programs_per_second']:>7}  "
              + "  ".join(f"{per.get(a, 0):>14}" for a in adapters))
    result = {"benchmark": "fuzz_throughput", "adapters": adapters, "examples": args.examples, "seed": args.seed,
              "platform": platform.platform(), "python": platform.python_version(), "startup_seconds": round(warmup, 2),
              "areas": rows}
    Path(args.json).parent.mkdir(parents=True, exist_ok=True)
    Path(args.json).write_text(json.dumps(result, indent=2), encoding="utf-8")
    print(f"wrote {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
