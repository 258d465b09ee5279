"""The HTML report: one self-contained ``index.html`` that opens from disk (file://) with no server
and no network. CSS and JavaScript (``reports/assets/``) are inlined; there is no CDN.

What is rendered where, and why:

- Python renders the static parts (run info, adapters, area × adapter summary, the scenario ×
  adapter matrix, differences between implementations, claims, the baseline diff) with
  `html.escape` on every value that comes from results, so they read without JavaScript.
- Per-scenario details (program, checks, observations side by side) are rendered by JavaScript
  only when a scenario is opened, from a JSON block, so a report of 10,000 records stays light.
  The script builds them with ``textContent`` / ``createElement`` only, never ``innerHTML``.
- The JSON block is ``<script type="application/json">`` with ``<``, ``>`` and ``&`` written as
  ``\\u003c`` … so no value (a title holding ``</script>``) can end the block early.
"""

from __future__ import annotations

import html
import json
from importlib import resources
from pathlib import Path
from typing import Any, Iterable

from conformance.results import STATUSES

from .claims import CLAIM_STATUSES, ClaimStatus, claim_statuses
from .diff import RunDiff
from .format import device_text, error_text, is_simulator, last_line, observation_text, value_text
from .model import FAILING, Results, is_pair

MAX_DIFF_ROWS = 2000  # per section of the baseline diff and of the differences table; the rest is counted


def esc(value: Any) -> str:
    """Text (of any type) escaped for HTML content and attribute values."""
    return html.escape(str(value), quote=True)


def json_for_script(data: Any) -> str:
    """JSON that is safe inside a ``<script>`` element: no ``<``, ``>`` or ``&`` characters at all,
    so neither ``</script>`` nor ``<!--`` can appear; JSON.parse reads the escapes back."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), allow_nan=False, default=str)
    return text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")


def _asset(name: str) -> str:
    return resources.files("reports").joinpath("assets", name).read_text(encoding="utf-8")


# --------------------------------------------------------------------------------------------
# The JSON the details are rendered from


def scenario_data(data: Results, scenario_id: str) -> dict[str, Any]:
    """What the details of one scenario show, with every value already formatted as text."""
    record = data.scenarios[scenario_id]
    comparison = data.comparisons.get(scenario_id)
    results = {}
    for r in data.results_of(scenario_id):
        results[r.adapter] = {
            "status": r.status, "duration": round(r.duration, 4), "reason": r.reason, "error": r.error,
            "mismatches": list(r.mismatches),
            "checks": [[c.get("at", ""), c.get("line", 0), c.get("label", ""), bool(c.get("ok")),
                        value_text(c.get("expected")), value_text(c.get("observed")), c.get("message", ""),
                        error_text(c.get("ulp"), c.get("rel"))] for c in r.checks],
            "obs": {k: observation_text(v) for k, v in r.observations.items()},
        }
    differing = {}
    if comparison is not None:
        for d in comparison.differences:
            differing[d["key"]] = {a: error_text(e.get("ulp"), e.get("rel"))
                                   for a, e in d.get("errors", {}).items()}
    return {"id": record.id, "title": record.title, "area": record.area, "claims": list(record.claims),
            "tags": list(record.tags), "erratum": record.erratum, "python": record.python,
            "file": f"{record.file}:{record.line}" if record.file else None,
            "results": results, "differs": differing}


def report_data(data: Results, statuses: list[ClaimStatus]) -> dict[str, Any]:
    """The whole JSON block."""
    return {"adapters": list(data.adapters),
            "claims": {c.claim.id: c.claim.summary for c in statuses},
            "scenarios": [scenario_data(data, s) for s in data.scenarios]}


# --------------------------------------------------------------------------------------------
# Static sections


def _badge(status: str, text: str | None = None) -> str:
    return f'<span class="badge {esc(status.replace(" ", "-"))}">{esc(text if text is not None else status)}</span>'


def _run_info(data: Results) -> str:
    rows = []
    for run in data.runs:
        git = (run.git or "?")[:12]
        duration = f"{run.duration:.1f} s" if run.duration is not None else "?"
        if run.duration is not None and run.startup is not None:
            duration += f" (workers started: {run.startup:.1f} s)"
        rows.append(f"<tr><td><code>{esc(run.source)}</code></td><td>{esc(run.tfconf)}</td><td><code>{esc(git)}</code></td>"
                    f"<td>{esc(run.started)}</td><td>{esc(duration)}</td><td>{esc(run.python)}</td>"
                    f"<td>{esc(run.platform)}</td></tr>")
    replaced = ""
    if data.replaced:
        items = "".join(f"<li>{esc(line)}</li>" for line in data.replaced)
        replaced = (f'<details class="note"><summary>{len(data.replaced)} result(s) were replaced by a later '
                    f"file</summary><ul>{items}</ul></details>")
    return ('<table class="runs"><thead><tr><th>results file</th><th>tfconf</th><th>git</th><th>started</th>'
            "<th>duration</th><th>python</th><th>platform</th></tr></thead><tbody>"
            + "".join(rows) + "</tbody></table>" + replaced)


def _adapters(data: Results) -> str:
    cards = []
    pairs = [name for name, d in data.adapters.items() if is_pair(d)]
    for name, d in data.adapters.items():
        if is_pair(d):
            continue
        simulator = is_simulator(d.device)
        device = (f'<span class="badge simulator" title="numba CUDA simulator: no GPU ran this">'
                  f"{esc(device_text(d.device))}</span>" if simulator else f"<code>{esc(d.device)}</code>")
        settings = "".join(f"<code>{esc(k)}={esc(v)}</code> " for k, v in sorted(d.settings.items())) or "—"
        caps = ", ".join(esc(c) for c in d.capabilities) or "—"
        cards.append(f'<div class="card{" sim" if simulator else ""}"><h3>{esc(name)}</h3><dl>'
                     f"<dt>implementation</dt><dd>{esc(d.implementation)}</dd>"
                     f"<dt>version</dt><dd>{esc(d.version)}</dd>"
                     f"<dt>device</dt><dd>{device}</dd>"
                     f"<dt>settings</dt><dd>{settings}</dd>"
                     f"<dt>capabilities</dt><dd>{caps}</dd></dl></div>")
    listed = ""
    if pairs:  # writer × reader columns: one adapter writes files, another reads them
        listed = ('<p class="pairs">Writer → reader pairs (the first adapter runs the program and writes, the '
                  "second reads what it wrote): " + ", ".join(f"<code>{esc(p)}</code>" for p in pairs) + "</p>")
    return f'<div class="cards">{"".join(cards)}</div>{listed}'


def _counts_cell(counts: Any) -> str:
    if not counts or not any(counts.values()):
        return '<span class="none" title="no results">—</span>'
    parts = []
    for status in STATUSES:
        n = counts.get(status, 0) if counts else 0
        parts.append(f'<span class="n {status}{" zero" if not n else ""}" title="{status}">{n}</span>')
    return "".join(parts)


def _summary(data: Results) -> str:
    adapters = list(data.adapters)
    counts = data.counts()
    head = "".join(f"<th>{esc(a)}</th>" for a in adapters)
    rows = []
    for area in data.areas:
        cells = "".join(f"<td>{_counts_cell(counts.get((area, a)))}</td>" for a in adapters)
        rows.append(f"<tr><th>{esc(area)}</th>{cells}</tr>")
    totals = data.totals()
    rows.append("<tr class=\"total\"><th>total</th>" + "".join(f"<td>{_counts_cell(totals.get(a))}</td>"
                                                                for a in adapters) + "</tr>")
    legend = " ".join(f'<span class="n {s}">{s}</span>' for s in STATUSES)
    return (f'<div class="wide"><table class="summary"><thead><tr><th>area</th>{head}</tr></thead><tbody>'
            f'{"".join(rows)}</tbody></table></div><p class="legend">Each cell counts {legend}.</p>')


def _matrix(data: Results) -> str:
    adapters = list(data.adapters)
    # A writer→reader column name may break after its arrow rather than overflow a narrow column.
    head = "".join(f'<th class="ad">{esc(a).replace("→", "→<wbr>")}</th>' for a in adapters)
    rows = []
    for index, record in enumerate(data.scenarios.values()):
        cells = []
        for adapter in adapters:
            r = data.result(record.id, adapter)
            cells.append(f'<td class="ad">{_badge(r.status) if r else "<span class=dim>—</span>"}</td>')
        differs = ('<span class="badge differ" title="adapters observed different things">≠</span>'
                   if record.id in data.comparisons else "")
        claims = " ".join(esc(c) for c in record.claims)
        erratum = ' <span class="badge erratum" title="this scenario has an erratum">erratum</span>' if record.erratum else ""
        rows.append(f'<tr class="sc" data-i="{index}"><td class="name"><button class="open" type="button" '
                    f'aria-expanded="false" title="show details">▸</button><span class="sid">{esc(record.id)}</span>'
                    f'{erratum}<div class="title">{esc(record.title)}</div></td><td class="claims">{claims}</td>'
                    f'<td class="dif">{differs}</td>{"".join(cells)}</tr>')
    return (f'<table id="matrix" class="matrix"><thead><tr><th>scenario</th><th>claims</th><th></th>{head}</tr>'
            f'</thead><tbody>{"".join(rows)}</tbody></table>')


def _differences(data: Results) -> str:
    index = {s: i for i, s in enumerate(data.scenarios)}
    adapters = list(data.adapters)
    rows, total = [], 0
    for scenario, comparison in data.comparisons.items():
        for d in comparison.differences:
            total += 1
            if len(rows) >= MAX_DIFF_ROWS:
                continue
            cells = []
            for adapter in adapters:
                if adapter not in comparison.adapters:
                    cells.append("<td class=dim>—</td>")
                    continue
                err = d.get("errors", {}).get(adapter)
                extra = f'<div class="err">{esc(error_text(err.get("ulp"), err.get("rel")))}</div>' if err else ""
                cells.append(f"<td><code>{esc(observation_text(d['values'].get(adapter)))}</code>{extra}</td>")
            rows.append(f'<tr data-si="{index[scenario]}"><td><a href="#s:{esc(scenario)}" class="goto">'
                        f"{esc(scenario)}</a></td><td><code>{esc(d['key'])}</code></td>{''.join(cells)}</tr>")
    if not total:
        return "<p>Every adapter that completed a scenario observed the same values.</p>"
    more = f"<p>… and {total - len(rows)} more (open the scenarios).</p>" if total > len(rows) else ""
    head = "".join(f"<th>{esc(a)}</th>" for a in adapters)
    return (f"<p>{total} observation(s) in {len(data.comparisons)} scenario(s) differ between adapters, "
            "whether or not the spec asserts them.</p>"
            f'<table class="diffs"><thead><tr><th>scenario</th><th>observation</th>{head}</tr></thead>'
            f'<tbody>{"".join(rows)}</tbody></table>{more}')


def _claims(statuses: list[ClaimStatus]) -> str:
    tally = {s: sum(1 for c in statuses if c.status == s) for s in CLAIM_STATUSES}
    rows = []
    for c in statuses:
        links = " ".join(f'<a href="#s:{esc(s)}" class="goto">{esc(s)}</a>' for s in c.scenarios) or "—"
        errata = "".join(f'<div class="erratum-text"><b>{esc(s)}</b>: {esc(text)}</div>' for s, text in c.errata)
        rows.append(f'<tr class="claim" data-area="{esc(c.claim.area)}" data-status="{esc(c.status)}">'
                    f"<td>{esc(c.claim.id)}</td><td>{esc(c.claim.tier)}</td><td>{esc(c.claim.area)}</td>"
                    f"<td>{_badge(c.status)}</td><td>{esc(c.claim.summary)}{errata}</td><td class=\"links\">{links}</td></tr>")
    summary = ", ".join(f"{n} {_badge(s)}" for s, n in tally.items())
    return (f'<p>{len(statuses)} claims: {summary}. <i>Confirmed</i>: a scenario citing it passes on the '
            "<code>tensorflow</code> adapter; <i>erratum</i>: the source document is wrong and the scenario "
            "records what TensorFlow does; <i>failing</i>: a citing scenario fails on TensorFlow.</p>"
            '<table class="claims" id="claims-table"><thead><tr><th>claim</th><th>tier</th><th>area</th><th>status</th>'
            f'<th>summary</th><th>scenarios</th></tr></thead><tbody>{"".join(rows)}</tbody></table>')


def _baseline(diff: RunDiff) -> str:
    counts = "".join(f'<li class="{"bad" if name == "regressions" and n else ""}"><b>{n}</b> {esc(name)}</li>'
                     for name, n in diff.counts().items())
    parts = [f'<ul class="counts">{counts}</ul>']

    def listing(title: str, items: list[str], cls: str = "") -> None:
        if items:
            shown = "".join(f"<li>{item}</li>" for item in items[:MAX_DIFF_ROWS])
            more = f"<li>… and {len(items) - MAX_DIFF_ROWS} more</li>" if len(items) > MAX_DIFF_ROWS else ""
            listed = f'<ul class="changes">{shown}{more}</ul>'
            if len(items) > 20:  # long lists stay folded so the regressions above them stay in view
                listed = f"<details><summary>show all {len(items)}</summary>{listed}</details>"
            parts.append(f'<h3 class="{cls}">{esc(title)} ({len(items)})</h3>{listed}')

    def change(c: Any) -> str:
        detail = f": {esc(c.detail)}" if c.detail else ""
        return f'<a href="#s:{esc(c.scenario)}" class="goto">{esc(c.pair)}</a> {_badge(c.old)} → {_badge(c.new)}{detail}'

    listing("Regressions", [change(c) for c in diff.regressions], "bad")
    listing("Fixes", [change(c) for c in diff.fixes])
    listing("Other status changes", [change(c) for c in diff.other_changes])
    listing("New scenarios", [f"<code>{esc(s)}</code>" for s in diff.new_scenarios])
    listing("Removed scenarios", [f"<code>{esc(s)}</code>" for s in diff.removed_scenarios])
    listing("Changed observations", [f"<code>{esc(c.scenario)}[{esc(c.adapter)}]</code> <code>{esc(c.key)}</code>: "
                                     f'<span class="old">{esc(observation_text(c.old))}</span> → '
                                     f'<span class="new">{esc(observation_text(c.new))}</span>'
                                     for c in diff.changed_observations])
    return "".join(parts)


def _options(values: Iterable[str]) -> str:
    return "".join(f'<option value="{esc(v)}">{esc(v)}</option>' for v in values)


# --------------------------------------------------------------------------------------------
# The page


def render_html(data: Results, diff: RunDiff | None = None, statuses: list[ClaimStatus] | None = None,
                title: str = "tfconf conformance report") -> str:
    """The whole report as one HTML document."""
    statuses = claim_statuses(data) if statuses is None else statuses
    verdict = "all passing" if data.ok else "failures"
    problems = sum(1 for r in data.results.values() if r.status in FAILING)
    sections = [
        ("summary", "Summary", _run_info(data) + _adapters(data) + _summary(data)),
    ]
    if diff is not None:
        sections.append(("baseline", "Against the baseline", _baseline(diff)))
    sections += [
        ("matrix", "Scenarios × adapters",
         '<p class="hint">Click a scenario to see its program, checks and every adapter\'s observations.</p>'
         + _matrix(data)),
        ("differences", "Differences between implementations", _differences(data)),
        ("claims", "Claims", _claims(statuses)),
    ]
    nav = "".join(f'<a href="#{key}">{esc(name)}</a>' for key, name, _ in sections)
    body = "".join(f'<section id="{key}"><h2>{esc(name)}</h2>{content}</section>' for key, name, content in sections)
    filters = (
        '<div class="filters" id="filters">'
        '<input type="search" id="q" placeholder="Search id, title, claim, message…" aria-label="search">'
        f'<label>area <select id="f-area"><option value="">all</option>{_options(data.areas)}</select></label>'
        '<label>status <select id="f-status"><option value="">any</option>'
        f'{_options(STATUSES)}<option value="problem">fail, error or xpass</option>'
        '<option value="differ">adapters differ</option></select></label>'
        f'<label>adapter <select id="f-adapter"><option value="">all</option>{_options(data.adapters)}</select></label>'
        '<label>claim <select id="f-claim"><option value="">any</option>'
        f'{_options(CLAIM_STATUSES)}</select></label>'
        '<button type="button" id="f-reset">reset</button><span id="shown" class="dim"></span></div>')
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">
<title>{esc(title)}</title>
<style>{_asset("report.css")}</style>
</head>
<body>
<header><h1>{esc(title)}</h1>
<p class="verdict {'ok' if data.ok else 'bad'}">{esc(verdict)}: {len(data.results)} results, {problems} failing, erroring or xpassing,
{len(data.scenarios)} scenarios on {len(data.adapters)} adapters</p>
<nav>{nav}</nav>
{filters}
</header>
<main>{body}</main>
<script type="application/json" id="tfconf-data">{json_for_script(report_data(data, statuses))}</script>
<script>{_asset("report.js")}</script>
</body>
</html>
"""


def write_html(data: Results, directory: Path, diff: RunDiff | None = None) -> Path:
    """Write ``DIR/index.html`` and return its path."""
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / "index.html"
    path.write_text(render_html(data, diff), encoding="utf-8")
    return path
