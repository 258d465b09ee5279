"""The HTML report in a real browser: Debian's chromium, headless, driven by Playwright.

CI installs ``chromium`` (apt) and ``playwright`` (pip; never ``playwright install``: the system
browser is used). Without them this module skips, saying which is missing.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from report_fixtures import SIM, TF, XSS, array, check, result, scenario, scalar, standard_run, write_results
from reports.diff import diff_results
from reports.html import write_html
from reports.model import load

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]

sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed (pip install playwright)")
if not CHROMIUM.exists():
    pytest.skip(f"{CHROMIUM} is missing (apt-get install chromium)", allow_module_level=True)


@pytest.fixture
def report(tmp_path: Path) -> Path:
    """A report of two runs: the standard pair of scenarios plus one whose text is markup."""
    old = standard_run(tmp_path / "old.jsonl", ref_status="pass")
    new = standard_run(tmp_path / "new.jsonl", ref_status="fail")
    extra = write_results(tmp_path / "extra.jsonl", [
        result("graph/xss", "tensorflow", "pass", {"x": scalar(XSS)}, claims=("C031",),
               checks=(check("x equals", True, XSS, XSS),)),
        result("graph/xss", "reference-cuda", "fail", {"x": scalar("other"), "y": array([1.0])}, claims=("C031",)),
    ], [scenario("graph/xss", XSS, ("C031",), python="x = '" + XSS + "'\n")], adapters=[TF, SIM])
    data = load([new, extra])
    return write_html(data, tmp_path / "html", diff_results(load([old]), data))


@pytest.fixture
def page(tmp_path: Path):
    with sync_api.sync_playwright() as playwright:
        # A fresh profile per test: nothing carried over between runs.
        context = playwright.chromium.launch_persistent_context(
            str(tmp_path / "profile"), executable_path=str(CHROMIUM), args=ARGS, headless=True,
            viewport={"width": 1400, "height": 1000})
        page = context.new_page()
        page.problems = []
        page.on("pageerror", lambda error: page.problems.append(f"page error: {error}"))
        page.on("console", lambda m: page.problems.append(f"console: {m.text}") if m.type == "error" else None)
        page.on("request", lambda r: None if r.url.startswith(("file:", "data:")) else
                page.problems.append(f"network request: {r.url}"))
        try:
            yield page
        finally:
            context.close()


def visible_ids(page) -> list[str]:
    return page.locator("#matrix tr.sc:not([hidden]) .sid").all_inner_texts()


def test_report_in_chromium(report: Path, page, tmp_path: Path):
    page.goto(report.as_uri())
    assert page.locator("h1").inner_text() == "tfconf conformance report"
    assert visible_ids(page) == ["scopes/same", "scopes/differs", "graph/xss"]
    assert page.locator("#shown").inner_text() == "3 of 3 scenarios shown"

    # A title that is markup shows as text, and nothing in it ran.
    assert page.locator("#matrix tr.sc", has_text="graph/xss").locator(".title").inner_text() == XSS
    assert page.evaluate("window.__pwned") is None
    # The simulator is visibly marked in the adapter cards.
    assert "SIMULATOR" in page.locator(".card.sim").inner_text()
    # The baseline section counts the regression.
    assert "1 regressions" in page.locator("#baseline ul.counts").inner_text()

    # Filters: status, adapter, area, and the search box.
    page.select_option("#f-status", "fail")
    assert visible_ids(page) == ["scopes/differs", "graph/xss"]
    page.select_option("#f-adapter", "reference-cuda")
    assert visible_ids(page) == ["graph/xss"]
    page.click("#f-reset")
    page.select_option("#f-area", "scopes")
    assert visible_ids(page) == ["scopes/same", "scopes/differs"]
    assert page.locator("#claims-table tr.claim:not([hidden])").count() >= 2  # the area filters claims too
    page.fill("#q", "between adapters")
    page.wait_for_function("() => document.getElementById('shown').textContent.startsWith('1 of')")
    assert visible_ids(page) == ["scopes/differs"]

    # Open the scenario: its details are rendered now, from the embedded data.
    page.locator("#matrix tr.sc", has_text="scopes/differs").click()
    details = page.locator("tr.details:not([hidden])")
    assert details.count() == 1
    assert details.locator(".det-title").inner_text() == "differs between adapters"
    assert "import tensorflow.compat.v1 as tf" in details.locator("pre.python").inner_text()
    assert "Document 000 is wrong." in details.locator(".erratum-box").inner_text()
    assert "C002" in details.locator(".claims-list").inner_text()
    differing = details.locator("table.observations tr.differ")
    assert differing.count() == 2
    assert "'foo/v_1:0'" in differing.first.inner_text()
    assert "ULP" in details.locator("table.observations").inner_text()
    bad = details.locator("table.checks td.bad")
    assert "'foo/v_1:0' != expected 'foo/v:0'" in bad.inner_text()
    details.locator("button.copy").click()
    # the label says "Copied" for 1.5 s only; the attribute stays (a loaded machine may be slower)
    sync_api.expect(details.locator("button.copy")).to_have_attribute("data-copied", "yes")

    # The markup title again, in the details rendered by the script.
    page.click("#f-reset")
    page.locator("#matrix tr.sc", has_text="graph/xss").click()
    xss = page.locator("tr.details:not([hidden])", has_text="x =")
    assert xss.locator(".det-title").inner_text() == XSS
    assert XSS in xss.locator("pre.python").inner_text()
    assert page.evaluate("window.__pwned") is None

    # Links from the claims table open their scenario.
    page.click("#f-reset")
    page.locator("#claims-table a", has_text="scopes/same").click()
    page.wait_for_selector("#matrix tr.sc.open >> text=scopes/same")

    page.locator("#matrix tr.sc", has_text="scopes/differs").scroll_into_view_if_needed()
    shot = tmp_path / "report.png"
    page.screenshot(path=str(shot), full_page=False)
    assert shot.stat().st_size > 10_000
    assert page.problems == []
