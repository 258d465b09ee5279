"""reports.diff and ``tfconf diff``."""

from __future__ import annotations

from conformance.cli import main
from report_fixtures import array, result, scenario, standard_run, write_results
from reports.diff import diff_results, format_diff
from reports.model import load


def _runs(tmp_path):
    old = write_results(tmp_path / "old.jsonl", [
        result("s/regressed", "tensorflow", "pass", {"x": array([1.0])}),
        result("s/fixed", "tensorflow", "fail", {"x": array([1.0])}),
        result("s/skipped-now", "tensorflow", "pass"),
        result("s/removed", "tensorflow", "pass"),
        result("s/steady", "tensorflow", "pass", {"x": array([1.0]), "y": array([2.0])}),
    ])
    new = write_results(tmp_path / "new.jsonl", [
        result("s/regressed", "tensorflow", "error"),
        result("s/fixed", "tensorflow", "pass", {"x": array([1.0])}),
        result("s/skipped-now", "tensorflow", "skip"),
        result("s/added", "tensorflow", "fail"),
        result("s/steady", "tensorflow", "pass", {"x": array([1.5]), "z": array([3.0])}),
    ])
    return old, new


def test_categories_are_counted(tmp_path):
    old, new = _runs(tmp_path)
    diff = diff_results(load([old]), load([new]))
    assert [c.pair for c in diff.regressions] == ["s/regressed[tensorflow]"]
    assert diff.regressions[0].detail == "RuntimeError: boom"
    assert [c.pair for c in diff.fixes] == ["s/fixed[tensorflow]"]
    assert [(c.old, c.new) for c in diff.other_changes] == [("pass", "skip")]
    assert diff.new_scenarios == ("s/added",)
    assert diff.removed_scenarios == ("s/removed",)
    assert sorted(c.key for c in diff.changed_observations) == ["x", "y", "z"]
    assert diff.counts() == {"regressions": 1, "fixes": 1, "other status changes": 1, "new scenarios": 1,
                             "removed scenarios": 1, "changed observations": 3}
    text = format_diff(diff)
    assert text.splitlines()[0].startswith("1 regressions, 1 fixes")
    assert "s/regressed[tensorflow]: pass → error: RuntimeError: boom" in text
    assert "%" not in text  # counted, never ratios


def test_cli_exits_1_on_a_regression_and_0_without(tmp_path, capsys):
    old, new = _runs(tmp_path)
    assert main(["diff", str(old), str(new)]) == 1
    assert "REGRESSIONS (1)" in capsys.readouterr().out
    assert main(["diff", str(new), str(old)]) == 1  # the other way round s/fixed regresses
    assert "REGRESSIONS (1)" in capsys.readouterr().out
    same = standard_run(tmp_path / "same.jsonl")
    assert main(["diff", str(same), str(same)]) == 0
    assert capsys.readouterr().out.splitlines()[-1].startswith("0 regressions")


def test_cli_unreadable_input_exits_2(tmp_path, capsys):
    assert main(["diff", str(tmp_path / "nope.jsonl"), str(tmp_path / "nope.jsonl")]) == 2
    assert "cannot read" in capsys.readouterr().err


def test_long_listings_are_cut_with_a_count(tmp_path):
    old = write_results(tmp_path / "o.jsonl", [result(f"s/n{i}", "tensorflow", "pass") for i in range(5)],
                        [scenario(f"s/n{i}") for i in range(5)])
    new = write_results(tmp_path / "n.jsonl", [result(f"s/n{i}", "tensorflow", "fail") for i in range(5)])
    text = format_diff(diff_results(load([old]), load([new])), limit=2)
    assert "REGRESSIONS (5):" in text and "… and 3 more" in text
