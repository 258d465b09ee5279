"""reports.html without a browser: escaping, the embedded data, self-containment, sections."""

from __future__ import annotations

import json
import re

from conformance.claims import Claim
from report_fixtures import SIM, TF, XSS, result, scenario, standard_run, write_results
from reports.claims import claim_statuses
from reports.diff import diff_results
from reports.html import json_for_script, render_html, write_html
from reports.model import load

DATA_BLOCK = re.compile(r'<script type="application/json" id="tfconf-data">(.*?)</script>', re.S)


def _xss_report(tmp_path) -> tuple[str, object]:
    path = write_results(tmp_path / "r.jsonl", [
        result("scopes/xss", "tensorflow", "fail", {XSS: {"kind": "scalar", "type": "str", "value": XSS}},
               mismatches=(XSS,), claims=("C001",)),
        result("scopes/xss", "reference-cuda", "error", error="Traceback\nValueError: " + XSS),
    ], [scenario("scopes/xss", XSS, erratum=XSS, python="print('" + XSS + "')\n")], adapters=[TF, SIM])
    data = load([path])
    return render_html(data), data


def test_values_from_results_cannot_break_out(tmp_path):
    page, _ = _xss_report(tmp_path)
    # Exactly the report's own two scripts: the data block and the inline code.
    assert page.count("<script") == 2 and page.count("</script>") == 2
    assert "<b>bold</b>" not in page
    assert "&lt;/script&gt;&lt;script&gt;window.__pwned" in page  # statically rendered, escaped


def test_embedded_json_round_trips(tmp_path):
    page, _ = _xss_report(tmp_path)
    block = DATA_BLOCK.search(page).group(1)
    assert "<" not in block and ">" not in block and "&" not in block
    data = json.loads(block)
    entry = data["scenarios"][0]
    assert entry["title"] == XSS and entry["erratum"] == XSS and XSS in entry["python"]
    assert entry["results"]["tensorflow"]["obs"][XSS] == repr(XSS)
    assert entry["results"]["tensorflow"]["mismatches"] == [XSS]


def test_json_for_script_escapes_every_markup_character():
    text = json_for_script({"a": "</script><!-- & -->"})
    assert text == '{"a":"\\u003c/script\\u003e\\u003c!-- \\u0026 --\\u003e"}'
    assert json.loads(text) == {"a": "</script><!-- & -->"}


def test_self_contained(tmp_path):
    page, _ = _xss_report(tmp_path)
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", page)
    assert "<link" not in page and "@import" not in page
    assert "Content-Security-Policy" in page  # and the browser enforces it: no network at all


def test_simulator_is_marked(tmp_path):
    page, _ = _xss_report(tmp_path)
    assert 'class="badge simulator"' in page and "cuda-simulator (SIMULATOR, not a GPU)" in page


def test_sections_and_counts(tmp_path):
    old = standard_run(tmp_path / "old.jsonl", ref_status="pass")
    new = load([standard_run(tmp_path / "new.jsonl", ref_status="fail")])
    path = write_html(new, tmp_path / "html", diff_results(load([old]), new))
    page = path.read_text()
    assert path.name == "index.html"
    for section in ("summary", "baseline", "matrix", "differences", "claims"):
        assert f'<section id="{section}">' in page
    assert page.count('<tr class="sc"') == 2
    assert "TF_ENABLE_ONEDNN_OPTS" in page
    assert "<td>1.5 s (workers started: 0.5 s)</td>" in page
    assert "<b>1</b> regressions" in page
    assert "2 observation(s) in 1 scenario(s) differ" in page
    assert "1 ULP" in page


def test_claim_statuses(tmp_path):
    claims = {c: Claim(c, 1, "scopes", "d", f"summary {c}") for c in ("C001", "C002", "C003", "C004", "C005")}
    path = write_results(tmp_path / "r.jsonl", [
        result("s/confirmed", "tensorflow", "pass", claims=("C001",)),
        result("s/erratum", "tensorflow", "pass", claims=("C002",)),
        result("s/failing", "tensorflow", "fail", claims=("C003",)),
        result("s/ref-only", "reference", "pass", claims=("C004",)),
    ], [scenario("s/confirmed", claims=("C001",)), scenario("s/erratum", claims=("C002",), erratum="doc is wrong"),
        scenario("s/failing", claims=("C003",)), scenario("s/ref-only", claims=("C004",))])
    statuses = {s.claim.id: s for s in claim_statuses(load([path]), claims)}
    assert {c: s.status for c, s in statuses.items()} == {
        "C001": "confirmed", "C002": "erratum", "C003": "failing", "C004": "unconfirmed", "C005": "not covered"}
    assert statuses["C002"].errata == (("s/erratum", "doc is wrong"),)


def test_every_inventory_claim_is_listed(tmp_path):
    page = render_html(load([standard_run(tmp_path / "r.jsonl")]))
    for n in (1, 30, 72):
        assert f"<td>C{n:03d}</td>" in page


def test_python_is_rendered_from_the_spec_when_the_file_lacks_it(tmp_path):
    from conformance.loader import load_spec
    from reports.model import with_spec_details

    real = load_spec().scenarios[0]
    path = write_results(tmp_path / "r.jsonl", [result(real.id, "tensorflow", "pass")])
    data = with_spec_details(load([path]))
    assert f"# tfconf scenario {real.id}" in data.scenarios[real.id].python
