"""The tfconf CLI end to end, and the pytest plugin giving the CLI's verdicts (serially and -n 2)."""

from __future__ import annotations

import gc
import importlib.util
import json
import os
import shlex
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent.parent
needs_tf = pytest.mark.skipif(importlib.util.find_spec("tensorflow") is None,
                              reason="tensorflow is not installed (pip install 'tfconf[tf]')")

MINI = """\
- id: mini/passes
  title: a variable named a
  claims: [C005]
  tags: [naming]
  program:
    - {call: Variable, args: [1.0], kwargs: {name: a}, as: a}
  expect:
    - {that: $a.name, equals: "a:0"}
- id: mini/fails
  title: a deliberately wrong expectation
  claims: []
  program:
    - {call: Variable, args: [1.0], kwargs: {name: a}, as: a}
  expect:
    - {that: $a.name, equals: "b:0"}
- id: mini/skipped
  title: skipped with a reason
  claims: []
  skip: {reason: "demonstrates a skip"}
  program: []
"""


@pytest.fixture(scope="module")
def mini_spec(tmp_path_factory) -> Path:
    spec = tmp_path_factory.mktemp("mini") / "spec"
    spec.mkdir()
    shutil.copy(ROOT / "spec" / "claims.yaml", spec / "claims.yaml")
    (spec / "mini.yaml").write_text(MINI)
    return spec


def tfconf(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "conformance.cli", *args], capture_output=True, text=True,
                          timeout=600, cwd=cwd)


def test_the_readme_main_job_writes_its_outputs_where_no_directory_exists_yet(mini_spec, tmp_path):
    """The quick start's first command, on a fresh checkout (no out/ yet), narrowed to one
    scenario on the reference."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    line = next(l for l in readme.splitlines() if "tfconf run" in l and "scripts/setup.sh" in l)
    args = shlex.split(line.split(".venv/bin/tfconf", 1)[1])
    proc = tfconf(*args, "--spec", str(mini_spec), "--adapter", "reference", "-k", "passes", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert args[0] == "run" and (tmp_path / "out" / "results.jsonl").is_file()
    assert (tmp_path / "out" / "report" / "index.html").is_file()
    nested = tmp_path / "a" / "b"
    proc = tfconf("run", "--spec", str(mini_spec), "--adapter", "reference", "-k", "passes",
                  "--junit", str(nested / "j.xml"), "--markdown", str(nested / "s.md"), "--json", str(nested / "r.jsonl"))
    assert proc.returncode == 0 and all((nested / f).is_file() for f in ("j.xml", "s.md", "r.jsonl"))


def test_list_and_show(mini_spec):
    listed = tfconf("list", "--spec", str(mini_spec), "-k", "naming or wrong")
    assert listed.returncode == 0
    assert "mini/passes" in listed.stdout and "mini/fails" in listed.stdout and "mini/skipped" not in listed.stdout
    shown = tfconf("show", "mini/passes", "--python", "--spec", str(mini_spec))
    assert "a = tf.Variable(1.0, name='a')" in shown.stdout


def test_bad_usage_exits_2(mini_spec):
    assert tfconf("run", "--spec", str(mini_spec), "--adapter", "no-such-adapter").returncode == 2
    assert tfconf("show", "no/such-id", "--spec", str(mini_spec)).returncode == 2
    assert tfconf("run", "--spec", str(mini_spec), "-k", "and or").returncode == 2
    for timeout in ("-1", "0", "nan", "inf"):
        proc = tfconf("run", "--spec", str(mini_spec), "--timeout", timeout)
        assert proc.returncode == 2 and "--timeout must be a positive number" in proc.stderr


def _processes_with(marker: str) -> list[int]:
    found = []
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            if marker.encode() in Path(f"/proc/{pid}/environ").read_bytes():
                found.append(int(pid))
        except OSError:
            pass
    return found


@pytest.mark.skipif(not Path("/proc/self/environ").exists(), reason="reads /proc")
@pytest.mark.parametrize("jobs", ["1", "2"])
def test_bad_usage_found_after_the_workers_started_leaves_none_behind(mini_spec, jobs):
    # tfconf run starts its workers before loading the spec; a bad -k is found only then
    marker = f"TFCONF_TEST_MARK=cli-{os.getpid()}-{jobs}"
    env = dict(os.environ, **dict([marker.split("=")]))
    proc = subprocess.run([sys.executable, "-m", "conformance.cli", "run", "--spec", str(mini_spec), "-j", jobs,
                           "-k", "and or"], capture_output=True, text=True, timeout=600, cwd=ROOT, env=env)
    assert proc.returncode == 2 and "-k" in proc.stderr
    assert _processes_with(marker) == []
    assert tfconf("run", "--spec", str(mini_spec), "--shard", "0/3").returncode == 2


def test_a_keyword_that_selects_nothing_is_bad_usage_said_at_once(mini_spec):
    # (an empty shard is not: CI's matrix may have more shards than a selection has scenarios)
    proc = tfconf("run", "--spec", str(mini_spec), "-k", "no-such-words")
    assert proc.returncode == 2 and "-k 'no-such-words' selects none of the 3 scenarios" in proc.stderr


_FIRST_WORKER_IMPORTS = """\
import json, subprocess, sys
from conformance import cli
seen = {}
start = subprocess.Popen.__init__
def spy(self, *args, **kwargs):
    seen.setdefault('modules', sorted(sys.modules))
    start(self, *args, **kwargs)
subprocess.Popen.__init__ = spy
code = cli.main(['run', '--spec', sys.argv[1], '--adapter', 'reference', '-k', 'passes'])
print(json.dumps({'code': code, 'modules': seen.get('modules')}))
"""


def test_run_starts_its_workers_before_loading_what_the_spec_and_judging_need(mini_spec):
    # TensorFlow's import is the run's longest wait: numpy, YAML and JSON Schema (a fifth of a
    # second) are imported while the workers import, not before they are started
    proc = subprocess.run([sys.executable, "-c", _FIRST_WORKER_IMPORTS, str(mini_spec)], capture_output=True,
                          text=True, timeout=600, cwd=ROOT)
    assert proc.returncode == 0, proc.stderr
    reply = json.loads(proc.stdout.splitlines()[-1])
    assert reply["code"] == 0 and reply["modules"] is not None
    assert {"numpy", "yaml", "jsonschema", "conformance.loader", "conformance.compare"}.isdisjoint(reply["modules"])


@pytest.mark.parametrize("args, code", [(["--adapter", "reference", "-k", "passes"], 0),
                                         (["--spec", "no/such/dir"], 2)])
def test_run_turns_the_collector_back_on(mini_spec, args, code, capsys):
    # it is off while the spec loads (the loaded spec is kept: collecting would free nothing)
    from conformance import cli

    try:
        assert cli.main(["run", "--spec", str(mini_spec), *args]) == code
        assert gc.isenabled()
    finally:
        gc.enable()
        gc.unfreeze()  # (what the run froze is this test process's)


@needs_tf
def test_run_writes_json_lines_and_exits_1_on_failure(mini_spec, tmp_path):
    out = tmp_path / "results.jsonl"
    proc = tfconf("run", "--spec", str(mini_spec), "--adapter", "tensorflow", "--json", str(out))
    assert proc.returncode == 1
    records = [json.loads(line) for line in out.read_text().splitlines()]
    assert records[0]["type"] == "header" and records[0]["adapters"][0]["name"] == "tensorflow"
    statuses = {r["scenario"]: r["status"] for r in records if r["type"] == "result"}
    assert statuses == {"mini/passes": "pass", "mini/fails": "fail", "mini/skipped": "skip"}
    assert records[-1]["type"] == "footer" and records[-1]["totals"]["fail"] == 1
    assert 0 < records[-1]["startup"] <= records[-1]["duration"]  # TensorFlow's import, at least
    assert "FAIL  mini/fails[tensorflow]" in proc.stdout
    assert f"every worker started after {records[-1]['startup']:.1f} s" in proc.stdout


@needs_tf
def test_run_exits_0_when_everything_passes(mini_spec):
    assert tfconf("run", "--spec", str(mini_spec), "--adapter", "tensorflow", "-k", "passes").returncode == 0


def _pytest_verdicts(spec: Path, tmp_path: Path, *extra: str) -> dict[str, str]:
    junit = tmp_path / f"junit{len(extra)}.xml"
    subprocess.run([sys.executable, "-m", "pytest", str(spec), "--adapter", "tensorflow", "-q",
                    f"--junitxml={junit}", "-p", "no:cacheprovider", *extra],
                   capture_output=True, text=True, timeout=600, cwd=spec.parent)
    verdicts = {}
    for case in ET.parse(junit).iter("testcase"):
        name = case.get("name").rsplit("[", 1)[0]
        status = "pass"
        for child, verdict in (("failure", "fail"), ("error", "error"), ("skipped", "skip")):
            if case.find(child) is not None:
                status = verdict
        verdicts[name] = status
    return verdicts


@needs_tf
@pytest.mark.parametrize("extra", [(), ("-n", "2")], ids=["serial", "xdist"])
def test_pytest_gives_the_cli_verdicts(mini_spec, tmp_path, extra):
    expected = {"mini/passes": "pass", "mini/fails": "fail", "mini/skipped": "skip"}
    assert _pytest_verdicts(mini_spec, tmp_path, *extra) == expected


def test_shards_partition_the_spec():
    from conformance.loader import load_spec
    from conformance.selection import SelectionError, parse_shard, shard

    scenarios = load_spec().scenarios
    parts = [shard(scenarios, i, 3) for i in (1, 2, 3)]
    ids = [s.id for part in parts for s in part]
    assert sorted(ids) == sorted(s.id for s in scenarios) and len(ids) == len(set(ids))
    assert {s.area for s in parts[0]} == {s.area for s in scenarios}
    assert parse_shard("2/5") == (2, 5)
    for bad in ("0/3", "4/3", "x", "1/"):
        with pytest.raises(SelectionError):
            parse_shard(bad)


@needs_tf
def test_known_divergences_give_the_same_verdicts_in_pytest_and_the_cli(tmp_path):
    spec = tmp_path / "spec"
    (spec / "expectations").mkdir(parents=True)
    shutil.copy(ROOT / "spec" / "claims.yaml", spec / "claims.yaml")
    (spec / "mini.yaml").write_text(MINI)
    (spec / "expectations" / "tensorflow.yaml").write_text(
        "adapter: tensorflow\ndivergences:\n  - {scenario: mini/fails, reason: deliberately wrong}\n")
    out = tmp_path / "r.jsonl"
    assert tfconf("run", "--spec", str(spec), "--adapter", "tensorflow", "--json", str(out)).returncode == 0
    cli = {r["scenario"]: r["status"] for r in map(json.loads, out.read_text().splitlines()) if r["type"] == "result"}
    assert cli == {"mini/passes": "pass", "mini/fails": "xfail", "mini/skipped": "skip"}
    # JUnit has no xfail: pytest writes it as skipped
    assert _pytest_verdicts(spec, tmp_path) == {"mini/passes": "pass", "mini/fails": "skip", "mini/skipped": "skip"}


def _pytest(spec: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "pytest", str(spec), "-q", "-p", "no:cacheprovider", *args],
                          capture_output=True, text=True, timeout=600, cwd=spec.parent)


def test_pytest_says_bad_usage_plainly(tmp_path):
    spec = tmp_path / "spec"
    (spec / "expectations").mkdir(parents=True)
    shutil.copy(ROOT / "spec" / "claims.yaml", spec / "claims.yaml")
    (spec / "mini.yaml").write_text(MINI)
    unknown = _pytest(spec, "--adapter", "no-such-adapter")
    assert unknown.returncode == 4 and "unknown adapter 'no-such-adapter'" in unknown.stderr
    (spec / "expectations" / "reference.yaml").write_text("adapter: reference\ndivergences: 7\n")
    broken = _pytest(spec, "--adapter", "reference")
    assert "INTERNALERROR" not in broken.stdout + broken.stderr
    assert "reference.yaml:2" in broken.stdout and broken.returncode != 0


def test_default_lanes_follow_the_cpus_up_to_a_cap(monkeypatch):
    from conformance import cli

    for cpus, lanes in ((1, 1), (2, 2), (64, cli.MAX_DEFAULT_JOBS)):
        monkeypatch.setattr(cli, "usable_cpus", lambda n=cpus: n)
        assert cli.default_jobs() == lanes
