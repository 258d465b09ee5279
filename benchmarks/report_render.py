"""Benchmark: render the HTML report of 10,000 synthetic result records (target: under 5 s).

5,000 scenarios × 2 adapters, with realistic observations (names, float arrays, errors), a fifth
of the scenarios failing on the second adapter with observations that differ. Times reading the
file, the claim statuses and rendering + writing index.html, separately and in total; prints a
line per phase and writes the numbers as JSON.

    .venv/bin/python benchmarks/report_render.py [--records N] [--json OUT.json]   (default out/report_render.json)
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from adapters.base import AdapterDescription  # noqa: E402
from conformance.results import Result, ScenarioRecord, footer, header, write_jsonl  # noqa: E402
from reports.html import write_html  # noqa: E402
from reports.model import load  # noqa: E402

TARGET_S = 5.0
ADAPTERS = [AdapterDescription("tensorflow", "TensorFlow", "2.21.0", "cpu", settings={"TF_ENABLE_ONEDNN_OPTS": "0"}),
            AdapterDescription("reference", "tfconf reference_impl", "0", "cpu")]
AREAS = ("scopes", "graph", "ops", "numerics", "saver")


def synthetic_records(count: int) -> list[dict]:
    """``count`` result records (two per scenario) with headers, scenario records and a footer."""
    results, scenarios = [], []
    for n in range(count // 2):
        sid = f"{AREAS[n % len(AREAS)]}/scenario-{n:05d}"
        scenarios.append(ScenarioRecord(sid, f"scenario {n}: get_variable in a scope <{n}>", sid.split("/")[0],
                                        (f"C{n % 72 + 1:03d}",), ("bench",), "Document is wrong." if n % 50 == 0 else None,
                                        "import tensorflow.compat.v1 as tf\n" + "v = tf.get_variable('v', [8])\n" * 10))
        for adapter in ADAPTERS:
            differs = adapter.name == "reference" and n % 5 == 0
            values = [float(i) + (1e-7 if differs else 0.0) for i in range(8)]
            observations = {
                "scope": {"kind": "variable_scope", "id": "obj1", "name": "foo", "original_name_scope": "foo/"},
                "v": {"kind": "variable", "id": "obj2", "name": "foo/v_1:0" if differs else "foo/v:0",
                      "dtype": "float32_ref", "shape": [8]},
                "value": {"kind": "array", "dtype": "float32", "shape": [8], "values": values},
                "raises@program[2]": {"kind": "error", "type": "ValueError", "phase": "build",
                                      "message": "Variable foo/v already exists, disallowed."},
            }
            checks = ({"at": "expect[0]", "line": 12, "label": "v.name equals", "ok": not differs, "expected": "foo/v:0",
                       "observed": observations["v"]["name"], "message": "" if not differs else "mismatch"},
                      {"at": "expect[1]", "line": 13, "label": "value equals", "ok": True, "expected": values,
                       "observed": values, "message": "", "ulp": 0, "rel": 0.0})
            results.append(Result(sid, adapter.name, "fail" if differs else "pass", 0.01, scenarios[-1].title,
                                  sid.split("/")[0], scenarios[-1].claims, observations, checks,
                                  ("line 12: v.name equals: mismatch",) if differs else ()))
    return ([header([a.to_json() for a in ADAPTERS], "2026-01-01T00:00:00+00:00")]
            + [s.to_json() for s in scenarios] + [r.to_json() for r in results] + [footer(results, 1.0)])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=10_000)
    parser.add_argument("--json", type=Path, default=Path("out/report_render.json"))
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "results.jsonl"
        write_jsonl(source, synthetic_records(args.records))
        timings = {}
        start = time.perf_counter()
        data = load([source])
        timings["load_s"] = time.perf_counter() - start
        mark = time.perf_counter()
        page = write_html(data, Path(tmp) / "html")
        timings["render_s"] = time.perf_counter() - mark
        timings["total_s"] = time.perf_counter() - start
        size = page.stat().st_size
    report = {"benchmark": "report_render", "records": len(data.results), "scenarios": len(data.scenarios),
              "html_bytes": size, **{k: round(v, 3) for k, v in timings.items()}, "target_s": TARGET_S,
              "within_target": timings["total_s"] < TARGET_S, "python": sys.version.split()[0]}
    for key in ("load_s", "render_s", "total_s"):
        print(f"{key:<9} {report[key]:7.3f} s")
    print(f"{report['records']} records, {report['scenarios']} scenarios, index.html {size / 1e6:.1f} MB; "
          f"target < {TARGET_S} s: {'met' if report['within_target'] else 'MISSED'}")
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
