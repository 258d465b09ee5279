"""reports.junit and reports.markdown."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from report_fixtures import SIM, TF, XSS, result, scenario, standard_run, write_results
from reports.diff import diff_results
from reports.junit import write_junit
from reports.markdown import markdown_summary, md_text
from reports.model import load


def test_one_testcase_per_pair(tmp_path):
    path = write_results(tmp_path / "r.jsonl", [
        result("s/ok", "tensorflow", "pass"), result("s/bad", "tensorflow", "fail"),
        result("s/boom", "tensorflow", "error"), result("s/skip", "tensorflow", "skip"),
        result("s/ok", "reference", "pass")])
    write_junit(load([path]), tmp_path / "j.xml")
    root = ET.parse(tmp_path / "j.xml").getroot()
    assert root.get("tests") == "5" and root.get("failures") == "1" and root.get("errors") == "1"
    assert root.get("skipped") == "1"
    cases = {c.get("name"): c for c in root.iter("testcase")}
    assert set(cases) == {"s/ok[tensorflow]", "s/bad[tensorflow]", "s/boom[tensorflow]", "s/skip[tensorflow]",
                          "s/ok[reference]"}
    failure = cases["s/bad[tensorflow]"].find("failure")
    assert "'foo/v_1:0' != expected 'foo/v:0'" in failure.get("message") and "line 10" in failure.text
    error = cases["s/boom[tensorflow]"].find("error")
    assert error.get("message") == "RuntimeError: boom" and error.text.startswith("Traceback")
    assert cases["s/skip[tensorflow]"].find("skipped").get("message") == "unsupported: no tf.foo"
    assert cases["s/ok[tensorflow]"].find("failure") is None
    suite = root.find("testsuite[@name='tfconf[tensorflow]']")
    props = {p.get("name"): p.get("value") for p in suite.iter("property")}
    assert props["TF_ENABLE_ONEDNN_OPTS"] == "0" and props["version"] == "2.21.0"


def test_known_divergences_in_junit(tmp_path):
    path = write_results(tmp_path / "r.jsonl", [
        result("s/known", "reference", "xfail", reason="expected failure: issue 12"),
        result("s/fixed", "reference", "xpass", reason="passes although listed as a known divergence")])
    write_junit(load([path]), tmp_path / "j.xml")
    root = ET.parse(tmp_path / "j.xml").getroot()
    cases = {c.get("name"): c for c in root.iter("testcase")}
    assert cases["s/known[reference]"].find("skipped").get("type") == "xfail"
    assert cases["s/fixed[reference]"].find("failure").get("type") == "xpass"
    assert root.get("failures") == "1" and root.get("skipped") == "1"


def test_junit_survives_control_characters_and_markup(tmp_path):
    path = write_results(tmp_path / "r.jsonl", [result("s/x", "tensorflow", "fail", mismatches=("bad \x00\x1b " + XSS,))],
                         [scenario("s/x", XSS)])
    write_junit(load([path]), tmp_path / "j.xml")
    case = ET.parse(tmp_path / "j.xml").getroot().find(".//testcase")
    assert "\\x00" in case.find("failure").text and XSS in case.find("failure").text


def test_markdown_summary(tmp_path):
    old = standard_run(tmp_path / "old.jsonl", ref_status="pass")
    new = standard_run(tmp_path / "new.jsonl", ref_status="fail")
    data = load([new])
    text = markdown_summary(data, diff_results(load([old]), data))
    assert text.startswith("## tfconf: FAILURES")
    assert "| area | `tensorflow` | `reference` |" in text
    assert "| scopes | 2 / 0 / 0 / 0 / 0 / 0 | 1 / 1 / 0 / 0 / 0 / 0 |" in text
    assert "TF\\_ENABLE\\_ONEDNN\\_OPTS=0" in text
    assert "`scopes/differs[reference]` fail" in text
    assert "1 regressions" in text and "REGRESSION `scopes/differs[reference]`: pass → fail" in text
    assert len(text.splitlines()) < 40  # short: it is a CI step summary


def test_markdown_marks_the_simulator_and_escapes(tmp_path):
    path = write_results(tmp_path / "r.jsonl", [result("s/x", "reference-cuda", "fail", mismatches=(XSS + " | a|b",))],
                         adapters=[TF, SIM])
    text = markdown_summary(load([path]))
    assert "cuda-simulator (SIMULATOR, not a GPU)" in text
    assert "<script>" not in text and "&lt;/script&gt;" in text and "a\\|b" in text


def test_md_text_makes_markdown_inert():
    assert md_text("*bold* [link](x) <b> a|b") == "\\*bold\\* \\[link\\](x) &lt;b&gt; a\\|b"
