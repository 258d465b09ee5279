"""A planted divergence is found, shrunk to a minimal program, saved, and replayed.

The adapters are the harness's fakes (tests/harness/fake_api.py): `WrongAdapter` names every
constant ``wrong:0`` where `FakeAdapter` names it as TF would, so any program whose constant is
not itself named ``wrong`` diverges. The strategy pads programs with harmless steps; the
minimal divergent program is a single constant.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from hypothesis import strategies as st

from conformance import cli
from conformance.fuzz.corpus import save_finding
from conformance.fuzz.driver import DIVERGE, FuzzOptions, Fuzzer
from conformance.fuzz.program import scenario
from conformance.loader import load_spec
from conformance.registry import AdapterEntry
from conformance.runner import Runner
from conformance.workers import WorkerClient

HARNESS = Path(__file__).resolve().parent.parent / "harness"
ROOT = HARNESS.parent.parent
ADAPTERS = ["FakeAdapter", "WrongAdapter"]


def factory(name: str) -> WorkerClient:
    env = {"PYTHONPATH": f"{HARNESS}:{ROOT}"}
    return WorkerClient(name, [sys.executable, "-m", "conformance.worker", f"fake_api:{name}"], env=env)


@st.composite
def fake_programs(draw) -> dict:
    """Programs of the fake API: sums (harmless) and constants, some named 'wrong' (agreeing)."""
    steps = []
    for i in range(draw(st.integers(1, 6))):
        if draw(st.booleans()):
            steps.append({"call": "add", "args": [draw(st.integers(0, 9)), 1], "as": f"s{i}"})
        else:
            name = draw(st.sampled_from(["wrong", "c", "d"]))
            steps.append({"call": "constant", "args": [draw(st.integers(0, 9))], "kwargs": {"name": name},
                          "as": f"c{i}"})
    return scenario("planted", steps, "a fake-API program")


@pytest.fixture(scope="module")
def finding(tmp_path_factory):
    saved = tmp_path_factory.mktemp("corpus")
    found = []
    with Fuzzer(ADAPTERS, FuzzOptions(max_examples=60, seed=7), worker_factory=factory) as fuzzer:
        report = fuzzer.fuzz_area("planted", lambda f: found.append(f), strategy=fake_programs())
    assert report.divergences == 1, report.to_json()
    (one,) = found
    path = save_finding(one.minimal, saved)
    return report, one, path


def test_the_planted_divergence_is_found_and_shrunk(finding):
    report, one, _ = finding
    assert one.minimal.kind == DIVERGE
    program = one.minimal.raw["program"]
    # minimal: one constant, not named 'wrong' (that would agree), with the smallest value
    assert program == [{"call": "constant", "args": [0], "kwargs": {"name": "c"}, "as": "c0"}], program
    keys = {d["key"] for d in one.minimal.differences}
    assert keys == {"c0"}
    assert report.programs > report.generated or one.count > 1  # shrinking (or re-meeting) ran programs


def test_the_saved_finding_says_what_each_adapter_observed(finding):
    _, _, path = finding
    text = path.read_text(encoding="utf-8")
    assert "FakeAdapter: " in text and "WrongAdapter: " in text
    assert '"name": "c:0"' in text and '"name": "wrong:0"' in text
    loaded = load_spec([path.parent])
    assert not loaded.problems
    (scenario_,) = loaded.scenarios
    assert "fuzz-finding" in scenario_.tags and "c:0" in scenario_.raw["notes"]


def test_the_saved_finding_replays_with_the_runner(finding):
    _, one, path = finding
    loaded = load_spec([path.parent])
    report = Runner(ADAPTERS, worker_factory=factory).run(loaded.scenarios)
    (comparison,) = report.comparisons
    assert {d["key"] for d in comparison.differences} == {"c0"}


def test_the_saved_finding_replays_with_tfconf_run(finding, monkeypatch, capsys):
    """``tfconf run --spec DIR`` on the saved file reports that the adapters differ; the fake
    adapters are made known to the CLI as if registered, and run in the harness's workers."""
    _, _, path = finding
    entries = {name: AdapterEntry(name, f"fake_api:{name}") for name in ADAPTERS}
    monkeypatch.setattr(cli, "adapter_entries", lambda: entries)
    monkeypatch.setattr(cli, "Runner", lambda adapters, options, **_: Runner(adapters, options, worker_factory=factory))
    json_path = path.parent / "results.jsonl"
    code = cli.main(["run", "--spec", str(path.parent), "--adapter", "FakeAdapter", "--adapter", "WrongAdapter",
                     "--json", str(json_path)])
    out = capsys.readouterr().out
    assert "1 scenario(s) where adapters observed different things" in out, out
    assert code == 0  # no expectations: both pass; the difference is reported, not judged
    assert '"key": "c0"' in json_path.read_text(encoding="utf-8")


def test_agreeing_adapters_find_nothing():
    with Fuzzer(["FakeAdapter", "FakeAdapter2"], FuzzOptions(max_examples=30, seed=1),
                worker_factory=lambda name: factory("FakeAdapter")) as fuzzer:
        report = fuzzer.fuzz_area("planted", strategy=fake_programs())
    assert report.divergences == 0 and report.programs >= 25
