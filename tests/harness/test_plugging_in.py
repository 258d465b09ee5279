"""Plugging an implementation in: the protocol schema, out-of-process commands, known
divergences (xfail / xpass / stale entries) and `tfconf smoke`."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from conformance.adapter_commands import (AdapterCommandError, load_adapter_config, parse_adapter_cmd,
                                          worker_factory)
from conformance.expectations import apply_expectations, load_expectations, stale_entries
from conformance.results import Result
from conformance.runner import RunOptions, Runner
from conformance.scenario import build_scenario
from conformance.smoke import smoke, validate_protocol_message
from test_runner import SCENARIOS, factory

HERE = Path(__file__).parent


def test_worker_replies_follow_the_protocol_schema():
    worker = factory("FakeAdapter")
    try:
        validate_protocol_message({"op": "describe"}, "request")
        validate_protocol_message(worker.request({"op": "describe"}, 60), "reply")
        request = {"op": "run", "scenario": dict(SCENARIOS[0].raw)}
        validate_protocol_message(request, "request")
        validate_protocol_message(worker.request(request, 60), "reply")
        validate_protocol_message(worker.request({"op": "nonsense"}, 60), "reply")
    finally:
        worker.stop()


def test_adapter_cmd_parsing():
    command = parse_adapter_cmd("mine=python -m conformance.worker 'pkg.mod:My Adapter'")
    assert command.name == "mine" and command.argv[-1] == "pkg.mod:My Adapter"
    with pytest.raises(AdapterCommandError):
        parse_adapter_cmd("no-equals-sign")


def test_adapters_config_file(tmp_path):
    config = tmp_path / "adapters.yaml"
    config.write_text("adapters:\n  fake:\n    command: [python, -m, conformance.worker, fake_api:FakeAdapter]\n"
                      f"    env: {{PYTHONPATH: '{HERE}:{HERE.parent.parent}'}}\n")
    (command,) = load_adapter_config(config)
    report = Runner(["fake"], worker_factory=worker_factory([command])).run(SCENARIOS[:1])
    assert [r.status for r in report.results] == ["pass"]
    assert report.descriptions["fake"]["implementation"] == "fake"
    config.write_text("adapters:\n  fake: {}\n")
    with pytest.raises(AdapterCommandError, match="needs a 'command'"):
        load_adapter_config(config)
    for command in ("5", "[python, {a: 1}]", "[]", "''"):
        config.write_text(f"adapters:\n  fake:\n    command: {command}\n")
        with pytest.raises(AdapterCommandError, match=":2: adapter 'fake': 'command' must be a non-empty string"):
            load_adapter_config(config)


def test_an_adapter_whose_program_does_not_exist_costs_only_its_own_pairs():
    missing = parse_adapter_cmd("gone=/no/such/program --flag")
    report = Runner(["gone", "FakeAdapter"], worker_factory=_either(worker_factory([missing]))).run(SCENARIOS[:1])
    gone, fake = report.results
    assert gone.status == "error" and "could not be started (/no/such/program --flag)" in gone.error
    assert fake.status == "pass"


def _either(commands):  # type: ignore[no-untyped-def]
    """Commands by name, the fake adapters of test_runner otherwise."""
    return lambda name: commands(name) if name == "gone" else factory(name)


def _expectations(tmp_path, body: str):
    file = tmp_path / "wrong.yaml"
    file.write_text(body)
    return load_expectations([file])


def test_known_divergences_turn_failures_into_xfail_and_passes_into_xpass(tmp_path):
    divergences, problems = _expectations(tmp_path, (
        "adapter: WrongAdapter\n"
        "divergences:\n"
        "  - {scenario: iso/before, reason: names every constant 'wrong'}\n"
        "  - {scenario: iso/after, reason: only on GPUs, when: {device: cuda}}\n"))
    assert problems == []
    options = RunOptions(divergences=tuple(divergences))
    report = Runner(["WrongAdapter"], options, worker_factory=factory).run([SCENARIOS[0], SCENARIOS[-1]])
    assert [r.status for r in report.results] == ["xfail", "fail"]
    assert "names every constant" in report.results[0].reason
    assert report.ok is False  # iso/after still fails: its entry applies to cuda only
    passing = Result("iso/before", "WrongAdapter", "pass")
    xpass = apply_expectations(passing, divergences, {"WrongAdapter": {"device": "cpu"}})
    assert xpass.status == "xpass" and "remove the entry" in xpass.reason


def test_stale_and_malformed_entries_are_errors(tmp_path):
    divergences, problems = _expectations(tmp_path, "adapter: x\ndivergences:\n  - {scenario: gone/away, reason: r}\n")
    (stale,) = stale_entries(divergences, {"iso/before"})
    assert stale.line == 3 and "no such scenario" in stale.reason
    _, problems = _expectations(tmp_path, "adapter: x\ndivergences:\n  - {scenario: a/b}\n")
    assert problems and "'reason' is a required property" in problems[0].reason


def test_smoke_passes_a_working_adapter_and_advises_on_a_broken_one():
    good = smoke("FakeAdapter", SCENARIOS[:2], factory, timeout=10)
    assert good.ok, good.lines
    broken = smoke("CrashingAdapter", SCENARIOS[:2], factory, timeout=10)
    assert not broken.ok
    assert any("died" in advice for advice in broken.advice)
    dead = smoke("nothing", SCENARIOS[:1], worker_factory([parse_adapter_cmd(f"nothing={sys.executable} -c pass")]))
    assert not dead.ok and "did not start" in dead.lines[0]


@pytest.mark.skipif(__import__("importlib").util.find_spec("tensorflow") is None,
                    reason="tensorflow is not installed (pip install 'tfconf[tf]')")
def test_two_tensorflow_modes_in_one_run_differ_where_resource_variables_do():
    from conformance.loader import load_spec

    root = HERE.parent.parent
    (command,) = load_adapter_config(root / "examples" / "adapters" / "two-tensorflows.yaml")
    scenarios = [s for s in load_spec().scenarios if s.id == "scopes/get-variable-creates-in-scope"]
    report = Runner(["tensorflow", "tensorflow-resource"], worker_factory=worker_factory([command])).run(scenarios)
    assert [r.status for r in report.results] == ["pass", "fail"]
    assert report.descriptions["tensorflow-resource"]["capabilities"] == ["graph", "session", "resource-variables"]
    (comparison,) = report.comparisons
    v = next(d for d in comparison.differences if d["key"] == "v")
    assert v["values"]["tensorflow"]["dtype"] == "float32_ref" and v["values"]["tensorflow-resource"]["dtype"] == "float32"
