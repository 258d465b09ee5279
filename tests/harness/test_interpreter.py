"""The interpreter on a fake API: steps, errors, loops, lambdas, paths, and what it records."""

from __future__ import annotations

import pytest

from adapters.base import Unsupported
from conformance.compare import judge
from conformance.scenario import build_scenario
from fake_api import FakeAdapter


def run(raw: dict, tmp_path, stages=None):
    raw = {"id": "t/x", "title": "t", "claims": [], **raw}
    return FakeAdapter().run(raw, str(tmp_path), stages), build_scenario(raw)


def test_binding_records_observation_and_expectation(tmp_path):
    outcome, scenario = run({
        "program": [{"call": "constant", "args": [1.0], "kwargs": {"name": "a"}, "as": "a"},
                    {"call": "constant", "args": [2.0], "kwargs": {"name": "a"}, "as": "b"}],
        "expect": [{"that": "$b.name", "equals": "a_1:0"}, {"that": "$a", "is_not": "$b"}],
    }, tmp_path)
    assert outcome.observations["b.name"] == {"kind": "scalar", "type": "str", "value": "a_1:0"}
    assert judge(scenario, outcome).status == "pass"


def test_expected_error_is_observed_and_program_goes_on(tmp_path):
    outcome, scenario = run({
        "program": [{"call": "fail", "args": ["boom\n\nOriginally defined at: x"], "raises": {"type": "ValueError", "message": "boom", "phase": "build"}},
                    {"call": "constant", "args": [1], "as": "c"}],
    }, tmp_path)
    assert outcome.observations["raises@program[0]"]["message"] == "boom"
    assert "c" in outcome.observations
    assert judge(scenario, outcome).status == "pass"


def test_missing_expected_error_fails(tmp_path):
    outcome, scenario = run({"program": [{"call": "constant", "args": [1], "raises": {"type": "ValueError"}}]}, tmp_path)
    verdict = judge(scenario, outcome)
    assert verdict.status == "fail"
    assert "nothing was raised" in verdict.mismatches[0]


def test_unexpected_error_stops_program_and_fails(tmp_path):
    outcome, scenario = run({
        "program": [{"call": "fail", "args": ["boom"]}, {"call": "constant", "args": [1], "as": "c"}],
        "expect": [{"that": "$c", "length": 1}],
    }, tmp_path)
    assert "c" not in outcome.observations
    verdict = judge(scenario, outcome)
    assert verdict.status == "fail"
    assert any("unexpected ValueError" in m for m in verdict.mismatches)
    assert any("program stopped" in m for m in verdict.mismatches)


def test_repeat_append_with_and_lambda(tmp_path):
    outcome, scenario = run({
        "program": [
            {"repeat": 3, "as": "i", "do": [
                {"with": "scope", "args": ["s"], "as": "prefix", "do": [
                    {"append": {"call": "constant", "args": ["$i"], "kwargs": {"name": "w"}}, "to": "ts"}]}]},
            {"let": {"call": "apply", "args": [{"lambda": ["x", "*rest"], "body": {"op": "+", "args": ["$x", 1]}}, 41, 0]},
             "as": "answer"},
        ],
        "expect": [{"that": "$ts", "names": ["w:0", "w_1:0", "w_2:0"]}, {"that": "$answer", "equals": 42}],
    }, tmp_path)
    assert judge(scenario, outcome).status == "pass"


def test_paths_live_in_the_workdir_and_files_are_listed(tmp_path):
    outcome, scenario = run({
        "program": [{"call": "touch", "args": [{"path": "ckpt/model.index"}]}],
        "expect": [{"files": ["ckpt/model.index"]}],
    }, tmp_path)
    assert (tmp_path / "ckpt" / "model.index").exists()
    assert judge(scenario, outcome).status == "pass"


def test_missing_api_is_unsupported(tmp_path):
    with pytest.raises(Unsupported, match="tf.train.Saver"):
        run({"program": [{"call": "train.Saver"}]}, tmp_path)


READER_SCENARIO = {
    "program": [{"call": "touch", "args": [{"path": "data"}], "as": "written"}],
    "expect": [{"files": ["data"]}],
    "reader": {"program": [{"call": "constant", "args": [1], "kwargs": {"name": "r"}, "as": "r"}],
               "expect": [{"that": "$r.name", "equals": "r:0"}, {"files": ["data"]}]},
}


def test_reader_stage_starts_afresh_and_prefixes_its_observations(tmp_path):
    outcome, scenario = run(READER_SCENARIO, tmp_path)
    assert "written" in outcome.observations and "reader.r" in outcome.observations
    assert [c["at"] for c in outcome.checks] == ["expect[0]", "reader.expect[0]", "reader.expect[1]"]
    assert judge(scenario, outcome).status == "pass"


def test_stages_can_run_separately_over_one_directory(tmp_path):
    writer, scenario = run(READER_SCENARIO, tmp_path, ["main"])
    reader, _ = run(READER_SCENARIO, tmp_path, ["reader"])
    assert "reader.r" not in writer.observations and "written" not in reader.observations
    merged = type(writer)("completed", {**writer.observations, **reader.observations}, writer.checks + reader.checks)
    assert judge(scenario, merged).status == "pass"


def test_a_reader_cannot_see_the_writers_names():
    from conformance.loader import _semantic_problems

    raw = {"id": "t/x", "title": "t", "claims": [], **READER_SCENARIO,
           "reader": {"program": [{"call": "identity", "args": ["$written"]}]}}
    problems = list(_semantic_problems(build_scenario(raw), None))
    assert problems and "$written" in problems[0].reason


def test_errors_in_a_reader_stage_are_judged(tmp_path):
    expected = {**READER_SCENARIO, "reader": {"program": [
        {"call": "fail", "args": ["boom"], "raises": {"type": "ValueError", "message": "boom"}}]}}
    outcome, scenario = run(expected, tmp_path)
    assert "raises@reader.program[0]" in outcome.observations
    assert judge(scenario, outcome).status == "pass"
    unexpected = {**READER_SCENARIO, "reader": {"program": [{"call": "fail", "args": ["boom"]}]}}
    outcome, scenario = run(unexpected, tmp_path)
    verdict = judge(scenario, outcome)
    assert verdict.status == "fail" and "unexpected ValueError" in verdict.mismatches[0]


def test_the_scenario_directory_is_spelled_workdir_in_messages(tmp_path):
    outcome, _ = run({"program": [{"call": "fail", "args": [f"cannot write {tmp_path}/ckpt/model"],
                                   "raises": {"type": "ValueError"}}]}, tmp_path)
    assert outcome.observations["raises@program[0]"]["message"] == "cannot write <workdir>/ckpt/model"


def test_both_spellings_of_a_linked_directory_are_workdir_error_after_error(tmp_path):
    from conformance.observe import Recorder

    real = tmp_path / "real"
    real.mkdir()
    (tmp_path / "link").symlink_to(real)
    recorder = Recorder(str(tmp_path / "link"))
    for n, path in enumerate([tmp_path / "link" / "a", real / "b", real / "c"]):
        recorder.record_error(f"e{n}", ValueError(f"cannot write {path}"), "build")
    assert [o["message"] for o in recorder.observations.values()] == [
        "cannot write <workdir>/a", "cannot write <workdir>/b", "cannot write <workdir>/c"]
    recorder.workdir = str(tmp_path)  # a new directory is resolved anew
    recorder.record_error("e", ValueError(f"cannot write {tmp_path}/d"), "build")
    assert recorder.observations["e"]["message"] == "cannot write <workdir>/d"
