"""The one-screen text summary printed at the end of ``tfconf run``: area × adapter counts,
then each failure and error in a line or two."""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any, Iterable

from .results import STATUSES, Result


MATRIX_COLUMN = "writer→reader"


def summary_table(results: Iterable[Result]) -> str:
    """Counts per area × adapter; every writer → reader pair is summed into one column."""
    results = list(results)
    column = lambda r: MATRIX_COLUMN if r.writer is not None else r.adapter  # noqa: E731
    adapters = list(dict.fromkeys(column(r) for r in results))
    areas = sorted({r.area for r in results})
    counts: dict[tuple[str, str], Counter] = defaultdict(Counter)
    for r in results:
        counts[(r.area, column(r))][r.status] += 1
    shown = [s for s in STATUSES if any(r.status == s for r in results)] or ["pass"]
    cell = lambda c: "/".join(str(c.get(s, 0)) for s in shown) if c else "-"  # noqa: E731
    header = ["area"] + adapters
    rows = [[area] + [cell(counts[(area, a)]) for a in adapters] for area in areas]
    total = [Counter(r.status for r in results if column(r) == a) for a in adapters]
    rows.append(["total"] + [cell(c) for c in total])
    widths = [max(len(row[i]) for row in [header] + rows) for i in range(len(header))]
    line = lambda row: "  ".join(v.ljust(w) for v, w in zip(row, widths)).rstrip()  # noqa: E731
    out = [f"counts are {'/'.join(shown)}", line(header), line(["-" * w for w in widths])]
    out += [line(row) for row in rows]
    return "\n".join(out)


def problem_lines(results: Iterable[Result], limit: int = 40) -> list[str]:
    lines = []
    for r in results:
        if r.status == "fail":
            first = r.mismatches[0] if r.mismatches else "failed"
            more = f" (+{len(r.mismatches) - 1} more)" if len(r.mismatches) > 1 else ""
            lines.append(f"FAIL  {r.scenario}[{r.adapter}]: {first}{more}")
        elif r.status == "error":
            last = (r.error or "error").strip().splitlines()
            lines.append(f"ERROR {r.scenario}[{r.adapter}]: {last[0] if last else ''}")
    if len(lines) > limit:
        lines = lines[:limit] + [f"... and {len(lines) - limit} more"]
    return lines


def float_agreement(results: Iterable[Result], oracle: str = "tensorflow") -> list[str]:
    """How closely each adapter's float observations match the oracle's: the share that is
    bit-identical and the worst distance in ULPs, over every float array observed by both
    under the same key (asserted by the spec or not)."""
    from .numeric import array_of, numeric_error

    by_pair: dict[tuple[str, str], dict[str, Any]] = defaultdict(dict)
    for r in results:
        if r.writer is None and r.status in ("pass", "fail", "xfail", "xpass"):
            by_pair[(r.scenario, r.adapter)] = r.observations
    adapters = sorted({adapter for _, adapter in by_pair if adapter != oracle})
    lines = []
    for adapter in adapters:
        total = identical = worst = 0
        for (scenario, name), observations in by_pair.items():
            if name != adapter or (scenario, oracle) not in by_pair:
                continue
            theirs = by_pair[(scenario, oracle)]
            for key, mine in observations.items():
                other = theirs.get(key)
                if not (_is_float_array(mine) and _is_float_array(other) and mine["dtype"] == other["dtype"]
                        and mine["shape"] == other["shape"]):
                    continue
                error = numeric_error(array_of(mine), array_of(other))
                total += 1
                identical += error is not None and error.ulp == 0
                worst = max(worst, error.ulp if error else 0)
        if total:
            lines.append(f"float observations of {adapter} against {oracle}: {identical}/{total} bit-identical "
                         f"({100 * identical / total:.1f}%), worst {worst} ULP")
    return lines


def _is_float_array(observed: Any) -> bool:
    return isinstance(observed, dict) and observed.get("kind") == "array" and observed.get("dtype", "").startswith("float")
