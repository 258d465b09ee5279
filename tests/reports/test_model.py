"""reports.model: reading and merging results files."""

from __future__ import annotations

import json

import pytest

from report_fixtures import REF, TF, result, scenario, standard_run, write_results
from reports.model import ResultsError, from_records, load


def test_reads_one_file(tmp_path):
    data = load([standard_run(tmp_path / "r.jsonl")])
    assert list(data.adapters) == ["tensorflow", "reference"]
    assert list(data.scenarios) == ["scopes/same", "scopes/differs"]
    assert data.result("scopes/differs", "reference").status == "fail"
    assert data.scenarios["scopes/differs"].erratum == "Document 000 is wrong."
    assert data.scenarios["scopes/same"].python.startswith("import tensorflow")
    assert data.adapters["tensorflow"].settings == {"TF_ENABLE_ONEDNN_OPTS": "0"}
    assert data.runs[0].duration == 1.5 and data.runs[0].startup == 0.5
    assert not data.ok
    assert data.counts()[("scopes", "reference")] == {"pass": 1, "fail": 1}


def test_comparisons_are_derived_from_observations(tmp_path):
    data = load([standard_run(tmp_path / "r.jsonl")])
    assert list(data.comparisons) == ["scopes/differs"]
    keys = {d["key"]: d for d in data.comparisons["scopes/differs"].differences}
    assert set(keys) == {"v.name", "value"}
    assert keys["value"]["errors"]["reference"]["ulp"] >= 1


def test_shards_split_by_adapter_are_compared_after_merging(tmp_path):
    tf = write_results(tmp_path / "tf.jsonl", [result("scopes/a", "tensorflow", "pass", {"x": {"kind": "scalar", "type": "int", "value": 1}})],
                       [scenario("scopes/a")], adapters=[TF])
    ref = write_results(tmp_path / "ref.jsonl", [result("scopes/a", "reference", "pass", {"x": {"kind": "scalar", "type": "int", "value": 2}})],
                        [scenario("scopes/a")], adapters=[REF])
    data = load([tf, ref])
    assert list(data.adapters) == ["tensorflow", "reference"]
    assert len(data.results) == 2
    assert [d["key"] for d in data.comparisons["scopes/a"].differences] == ["x"]
    assert len(data.runs) == 2


def test_writer_reader_pairs(tmp_path):
    from dataclasses import replace

    from reports.model import is_pair

    pair = replace(result("saver/x", "tensorflow→reference", "pass", {"a": {"kind": "scalar", "type": "int", "value": 1}}),
                   writer="tensorflow", reader="reference")
    plain = result("saver/x", "tensorflow", "pass", {"a": {"kind": "scalar", "type": "int", "value": 2}})
    data = load([write_results(tmp_path / "r.jsonl", [plain, pair])])
    description = data.adapters["tensorflow→reference"]
    assert is_pair(description) and description.implementation == "tensorflow writes, reference reads"
    assert not is_pair(data.adapters["tensorflow"])
    assert data.comparisons == {}  # a pair is not compared with single adapters, as the runner does


def test_xfail_keeps_a_run_ok_and_xpass_does_not(tmp_path):
    ok = load([write_results(tmp_path / "a.jsonl", [result("s/a", "reference", "xfail", reason="known")])])
    bad = load([write_results(tmp_path / "b.jsonl", [result("s/a", "reference", "xpass", reason="fixed?")])])
    assert ok.ok and not bad.ok


def test_later_file_wins_and_is_noted(tmp_path):
    first = write_results(tmp_path / "1.jsonl", [result("scopes/a", "tensorflow", "fail")])
    rerun = write_results(tmp_path / "2.jsonl", [result("scopes/a", "tensorflow", "pass")])
    data = load([first, rerun])
    assert data.result("scopes/a", "tensorflow").status == "pass"
    assert len(data.replaced) == 1 and "2.jsonl replaces" in data.replaced[0]
    with pytest.raises(ResultsError, match="already in"):
        load([first, rerun], duplicates="error")


def test_a_pair_twice_in_one_file_is_an_error(tmp_path):
    path = write_results(tmp_path / "r.jsonl", [result("scopes/a", "tensorflow", "pass"),
                                               result("scopes/a", "tensorflow", "fail")])
    with pytest.raises(ResultsError, match=r"r.jsonl:3: .*twice"):
        load([path])


def test_results_without_scenario_records_still_load(tmp_path):
    path = write_results(tmp_path / "r.jsonl", [result("ops/x", "tensorflow", "pass", claims=("C040",))])
    data = load([path])
    record = data.scenarios["ops/x"]
    assert (record.area, record.claims, record.python) == ("ops", ("C040",), None)


@pytest.mark.parametrize("line, reason", [
    ("not json", "not a JSON line"),
    ("[" * 200_000 + "]" * 200_000, "nested too deeply to read"),
    (json.dumps({"type": "mystery"}), "unknown record type"),
    (json.dumps({"type": "result", "adapter": "x"}), "malformed result"),
    (json.dumps({"type": "result", "scenario": "a/b", "adapter": "x", "status": "weird"}), "unknown status"),
])
def test_damaged_files_name_file_and_line(tmp_path, line, reason):
    path = tmp_path / "bad.jsonl"
    path.write_text(json.dumps({"type": "header", "adapters": []}) + "\n" + line + "\n")
    with pytest.raises(ResultsError, match=rf"bad.jsonl:2: .*{reason}"):
        load([path])


def test_missing_file(tmp_path):
    with pytest.raises(ResultsError, match="cannot read"):
        load([tmp_path / "absent.jsonl"])


def test_from_records_in_memory():
    data = from_records([result("a/b", "tensorflow", "skip").to_json()])
    assert data.result("a/b", "tensorflow").reason.startswith("unsupported")
    assert data.ok


def test_footer_times_that_are_not_numbers_are_unknown(tmp_path):
    path = standard_run(tmp_path / "r.jsonl")
    lines = path.read_text().splitlines()
    footer = json.loads(lines[-1])
    footer.update(duration="1.5", startup=True)
    path.write_text("\n".join(lines[:-1] + [json.dumps(footer)]) + "\n")
    run = load([path]).runs[0]
    assert run.duration is None and run.startup is None
