"""Loading: valid scenarios load; every kind of broken file is named with file, line and reason."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from conformance.loader import load_spec

BROKEN = Path(__file__).parent / "broken_spec"
ROOT = Path(__file__).resolve().parent.parent.parent


@pytest.fixture(scope="module")
def broken():
    return load_spec([BROKEN])


def _problem(result, file_name: str):
    found = [p for p in result.problems if Path(p.file).name == file_name]
    assert found, f"no problem reported for {file_name}: {result.problems}"
    return found[0]


@pytest.mark.parametrize("file_name, line, words", [
    ("malformed.yaml", 4, "invalid YAML"),
    ("not_mapping.yaml", 1, "expected a scenario mapping"),
    ("unknown_key.yaml", 5, "'raise' was unexpected"),
    ("wrong_type.yaml", 3, "is not of type 'array'"),
    ("duplicate_id.yaml", 5, "duplicate scenario id 'broken/duplicate'"),
    ("unbound.yaml", 5, "'$nowhere' is used before anything is bound"),
    ("unknown_claim.yaml", 3, "unknown claim id 'C999'"),
    ("python_tag.yaml", 6, "could not determine a constructor"),
    ("duplicate_key.yaml", 4, "duplicate key 'claims'"),
    ("boolean_key.yaml", 5, 'reads \'yes\' as the bool True; write it in quotes: "yes"'),
    ("alias_bomb.yaml", 13, "through its aliases this value stands for 5,380,840 values"),
    ("too_deep.yaml", 104, "nested more than 100 levels deep"),
    ("timestamp_value.yaml", 7, "reads datetime.date(2024, 1, 1) as a date, which a tfconf document cannot hold"),
    ("binary_value.yaml", 7, "reads b'loc:@a' as binary data"),
    ("escaping_path.yaml", 7, "must stay inside the scenario's temporary directory"),
    ("escaping_damage.yaml", 6, "path '../../etc/passwd' must stay inside the scenario's temporary directory"),
    ("damage_two_ways.yaml", 6, "program[1]: takes exactly one of truncate, flip, remove; got truncate and flip"),
    ("damage_no_way.yaml", 6, "program[1]: takes exactly one of truncate, flip, remove; got none"),
])
def test_each_broken_file_is_named_with_line_and_reason(broken, file_name, line, words):
    problem = _problem(broken, file_name)
    assert problem.line == line
    assert words in problem.reason
    assert "\n" not in problem.reason


def test_valid_scenarios_beside_broken_ones_still_load(broken):
    ids = [s.id for s in broken.scenarios]
    assert "broken/the-good-one" in ids
    assert ids.count("broken/duplicate") == 1


def test_a_path_given_as_a_string_is_one_path():
    assert load_spec(str(BROKEN / "good.yaml")).scenarios[0].id == "broken/the-good-one"


def test_a_document_too_deep_for_the_parser_is_a_yaml_error():
    from conformance.yaml_lines import StructureError, load_yaml

    text = "".join(" " * (2 * i) + "-\n" for i in range(900)) + " " * 1800 + "- x\n"
    with pytest.raises(StructureError, match="nested too deeply"):
        load_yaml(text)


def test_python_tag_is_never_executed(tmp_path):
    marker = Path("/tmp/tfconf-pwned")
    marker.unlink(missing_ok=True)
    load_spec([BROKEN])
    assert not marker.exists()


def test_validate_cli_exits_2_without_traceback():
    proc = subprocess.run([sys.executable, "-m", "conformance.cli", "validate", "--spec", str(BROKEN)],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr + proc.stdout
    for name in ["malformed.yaml:4", "unknown_key.yaml:5", "python_tag.yaml:6", "duplicate_id.yaml:5"]:
        assert name in proc.stderr


def test_the_real_spec_is_valid():
    result = load_spec()
    assert result.problems == []
    assert len(result.scenarios) > 0


def test_defaults_merge_tags_and_claims(tmp_path):
    (tmp_path / "claims.yaml").write_text((ROOT / "spec" / "claims.yaml").read_text())
    (tmp_path / "s.yaml").write_text(
        "defaults: {tags: [a], claims: [C001]}\n"
        "scenarios:\n"
        "  - {id: x/one, title: t, claims: [C002], tags: [b], program: []}\n")
    result = load_spec([tmp_path])
    assert result.problems == []
    (scenario,) = result.scenarios
    assert scenario.tags == ("a", "b") and scenario.claims == ("C001", "C002")


# -- the cache of schema-valid scenarios -------------------------------------------------------
def _valid_file(tmp_path: Path, claims: str = "[]") -> Path:
    spec = tmp_path / "spec"
    spec.mkdir(exist_ok=True)
    (spec / "claims.yaml").write_text("claims: []\n")
    path = spec / "one.yaml"
    path.write_text(f"id: cache/one\ntitle: one\nclaims: {claims}\nprogram:\n"
                    "  - call: constant\n    args: [1.0]\n    as: c\nexpect:\n  - that: $c.name\n    equals: 'c:0'\n")
    return path


def test_a_scenario_that_passed_is_not_validated_again(tmp_path, monkeypatch):
    import conformance.loader as loader

    monkeypatch.setenv("TFCONF_CACHE_DIR", str(tmp_path / "cache"))
    path = _valid_file(tmp_path)
    first = load_spec([path.parent])
    assert [s.id for s in first.scenarios] == ["cache/one"] and not first.problems

    def no_validation(*_):
        raise AssertionError("validated again")

    monkeypatch.setattr(loader, "_schema_problems", no_validation)
    again = load_spec([path.parent])
    assert [s.raw for s in again.scenarios] == [s.raw for s in first.scenarios]


def test_a_changed_scenario_is_validated_and_its_problem_reported(tmp_path, monkeypatch):
    monkeypatch.setenv("TFCONF_CACHE_DIR", str(tmp_path / "cache"))
    path = _valid_file(tmp_path)
    assert not load_spec([path.parent]).problems
    _valid_file(tmp_path, claims="'C001'")  # now the wrong type
    for _ in range(2):  # problems are never remembered as passes
        (problem,) = load_spec([path.parent]).problems
        assert "is not of type 'array'" in problem.reason and problem.line == 3


def test_an_unreadable_or_disabled_cache_costs_nothing_but_time(tmp_path, monkeypatch):
    path = _valid_file(tmp_path)
    cache = tmp_path / "cache"
    cache.mkdir()
    monkeypatch.setenv("TFCONF_CACHE_DIR", str(cache))
    load_spec([path.parent])
    for entry in cache.rglob("*"):
        if entry.is_file():
            entry.write_bytes(b"\xff\xfe not a fingerprint")
    assert [s.id for s in load_spec([path.parent]).scenarios] == ["cache/one"]
    monkeypatch.setenv("TFCONF_CACHE_DIR", "")
    assert [s.id for s in load_spec([path.parent]).scenarios] == ["cache/one"]
