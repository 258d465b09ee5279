"""A short Markdown summary for CI step summaries (``$GITHUB_STEP_SUMMARY`` and the like):
totals, the area × adapter table, the adapters, claim coverage, the first failures and, with a
baseline, the run-to-run diff counts and regressions. The HTML report has the details.
"""

from __future__ import annotations

import re
from pathlib import Path

from conformance.results import STATUSES

from .claims import CLAIM_STATUSES, claim_statuses
from .diff import RunDiff
from .format import device_text, last_line
from .model import FAILING, Results

MAX_PROBLEMS = 20
# Characters that Markdown would interpret inside a line (text never starts a line here, so # + - are
# harmless, and with [ ] escaped no parenthesis can become a link target).
_SPECIAL = re.compile(r"([\\`*_{}\[\]|~])")


def md_text(text: str) -> str:
    """Free text made inert in Markdown: specials backslash-escaped, HTML characters as entities,
    on one line."""
    text = " ".join(str(text).split())
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _SPECIAL.sub(r"\\\1", text)


def _code(text: str) -> str:
    """An identifier as a code span (ids never hold backticks; strip any to be sure)."""
    return f"`{text.replace('`', '')}`"


def markdown_summary(data: Results, diff: RunDiff | None = None) -> str:
    """The summary as Markdown text."""
    totals = {s: sum(c.get(s, 0) for c in data.totals().values()) for s in STATUSES}
    verdict = "all passing" if data.ok else "FAILURES"
    out = [f"## tfconf: {verdict}",
           "",
           f"{len(data.results)} results for {len(data.scenarios)} scenarios on {len(data.adapters)} adapters: "
           + ", ".join(f"{totals[s]} {s}" for s in STATUSES),
           ""]
    adapters = list(data.adapters)
    counts = data.counts()
    out.append("| area | " + " | ".join(_code(a) for a in adapters) + " |")
    out.append("|---|" + "---|" * len(adapters))
    for area in data.areas:
        cells = [" / ".join(str(counts.get((area, a), {}).get(s, 0)) for s in STATUSES) for a in adapters]
        out.append(f"| {md_text(area)} | " + " | ".join(cells) + " |")
    out.append(f"\nCounts are {' / '.join(STATUSES)}.\n")
    out.append("**Adapters**")
    out.append("")
    for name, d in data.adapters.items():
        settings = ", ".join(f"{k}={v}" for k, v in sorted(d.settings.items()))
        out.append(f"- {_code(name)}: {md_text(d.implementation)} {md_text(d.version)} on "
                   f"{md_text(device_text(d.device))}" + (f" ({md_text(settings)})" if settings else ""))
    statuses = claim_statuses(data)
    if statuses:
        tally = {s: sum(1 for c in statuses if c.status == s) for s in CLAIM_STATUSES}
        out.append("")
        out.append("**Claims**: " + ", ".join(f"{n} {s}" for s, n in tally.items() if n))
    problems = [r for r in data.results.values() if r.status in FAILING]
    if problems:
        out.append("")
        out.append(f"### Failures, errors and unexpected passes ({len(problems)})")
        out.append("")
        for r in problems[:MAX_PROBLEMS]:
            why = {"fail": r.mismatches[0] if r.mismatches else "failed", "error": last_line(r.error)}.get(
                r.status, r.reason or "")
            out.append(f"- {_code(f'{r.scenario}[{r.adapter}]')} {r.status}: {md_text(why)}")
        if len(problems) > MAX_PROBLEMS:
            out.append(f"- … and {len(problems) - MAX_PROBLEMS} more (see the HTML report)")
    if diff is not None:
        out.append("")
        out.append("### Against the baseline")
        out.append("")
        out.append(", ".join(f"{n} {name}" for name, n in diff.counts().items()))
        for change in diff.regressions[:MAX_PROBLEMS]:
            out.append(f"- REGRESSION {_code(change.pair)}: {change.old} → {change.new}"
                       + (f": {md_text(change.detail)}" if change.detail else ""))
    if data.replaced:
        out.append("")
        out.append(f"{len(data.replaced)} result(s) came from a later file that replaced an earlier one.")
    return "\n".join(out) + "\n"


def write_markdown(data: Results, path: Path, diff: RunDiff | None = None) -> None:
    """Write the summary (UTF-8)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(markdown_summary(data, diff), encoding="utf-8")
