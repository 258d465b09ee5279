"""``tfconf report``: merging results files into reports."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from conformance.cli import main
from report_fixtures import result, standard_run, write_results


def test_report_merges_shards_into_every_format(tmp_path, capsys):
    first = standard_run(tmp_path / "shard1.jsonl")
    second = write_results(tmp_path / "shard2.jsonl", [result("ops/extra", "tensorflow", "pass", claims=("C040",))])
    html, junit, md = tmp_path / "html", tmp_path / "junit.xml", tmp_path / "summary.md"
    code = main(["report", str(first), str(second), "--html", str(html), "--junit", str(junit),
                 "--markdown", str(md), "--baseline", str(first)])
    assert code == 0
    assert "wrote" in capsys.readouterr().out
    assert (html / "index.html").read_text().count('<tr class="sc"') == 3
    assert len(list(ET.parse(junit).getroot().iter("testcase"))) == 5
    assert "1 new scenarios" in md.read_text()


def test_report_strict_refuses_a_pair_held_twice(tmp_path, capsys):
    path = standard_run(tmp_path / "r.jsonl")
    assert main(["report", str(path), str(path), "--junit", str(tmp_path / "j.xml")]) == 0
    assert "replaced by a later file" in capsys.readouterr().out
    assert main(["report", "--strict", str(path), str(path), "--junit", str(tmp_path / "j.xml")]) == 2
    assert "already in" in capsys.readouterr().err


def test_report_needs_an_output(tmp_path, capsys):
    assert main(["report", str(standard_run(tmp_path / "r.jsonl"))]) == 2
    assert "nothing to write" in capsys.readouterr().err


def test_unreadable_baseline_is_left_out_with_a_message(tmp_path, capsys):
    path = standard_run(tmp_path / "r.jsonl")
    assert main(["report", str(path), "--markdown", str(tmp_path / "s.md"), "--baseline", str(tmp_path / "no")]) == 0
    assert "baseline left out" in capsys.readouterr().err
    assert "Against the baseline" not in (tmp_path / "s.md").read_text()
