"""The ``damage`` step: what it does to a file, how the interpreter runs it, how it renders.
(Its paths are checked as the loader checks every path: tests/harness/test_loader.py.)"""

from __future__ import annotations

import pytest

from conformance.compare import judge
from conformance.damage import damage_file
from conformance.render import render_python
from conformance.scenario import build_scenario
from fake_api import FakeAdapter


@pytest.fixture
def ten_bytes(tmp_path):
    path = tmp_path / "f.bin"
    path.write_bytes(bytes(range(10)))
    return path


def test_truncate_keeps_the_first_bytes(ten_bytes):
    damage_file(str(ten_bytes.parent), ten_bytes.name, truncate=4)
    assert ten_bytes.read_bytes() == bytes(range(4))
    damage_file(str(ten_bytes.parent), ten_bytes.name, truncate=0)
    assert ten_bytes.read_bytes() == b""


@pytest.mark.parametrize("offset, index", [(0, 0), (3, 3), (-1, 9), (-10, 0)])
def test_flip_inverts_every_bit_of_one_byte(ten_bytes, offset, index):
    damage_file(str(ten_bytes.parent), ten_bytes.name, flip=offset)
    expected = bytearray(range(10))
    expected[index] ^= 0xFF
    assert ten_bytes.read_bytes() == bytes(expected)


def test_remove_deletes_the_file(ten_bytes):
    damage_file(str(ten_bytes.parent), ten_bytes.name, remove=True)
    assert not ten_bytes.exists()


@pytest.mark.parametrize("kwargs, words", [
    ({}, "exactly one of truncate, flip, remove, got none"),
    ({"truncate": 1, "flip": 2}, "exactly one of truncate, flip, remove, got ['truncate', 'flip']"),
    ({"truncate": 10}, "(10 bytes) to 10 bytes: it must get shorter"),
    ({"flip": 10}, "cannot flip byte 10 of"),
    ({"flip": -11}, "cannot flip byte -11 of"),
])
def test_a_damage_that_would_change_nothing_is_an_error(ten_bytes, kwargs, words):
    with pytest.raises(ValueError) as raised:
        damage_file(str(ten_bytes.parent), ten_bytes.name, **kwargs)
    assert words in str(raised.value)
    assert ten_bytes.read_bytes() == bytes(range(10))


@pytest.mark.parametrize("kwargs", [{"flip": 0}, {"truncate": 1}])
def test_a_link_to_a_file_outside_the_directory_leaves_that_file_alone(tmp_path, kwargs):
    outside = tmp_path / "outside.bin"
    outside.write_bytes(b"keep me")
    scenario = tmp_path / "scenario"
    (scenario / "ckpt").mkdir(parents=True)
    (scenario / "ckpt" / "model.index").symlink_to(outside)
    with pytest.raises(ValueError, match="resolves to a place outside the scenario's directory"):
        damage_file(str(scenario), "ckpt/model.index", **kwargs)
    assert outside.read_bytes() == b"keep me"
    damage_file(str(scenario), "ckpt/model.index", remove=True)  # the link itself goes
    assert outside.read_bytes() == b"keep me" and not (scenario / "ckpt" / "model.index").exists()


def test_a_missing_file_cannot_be_damaged(tmp_path):
    with pytest.raises(FileNotFoundError):
        damage_file(str(tmp_path), "nothing", flip=0)


def _scenario(program: list, expect: list) -> dict:
    return {"id": "t/damage", "title": "t", "claims": [], "program": program, "expect": expect}


def test_the_interpreter_damages_files_in_the_scenario_directory(tmp_path):
    raw = _scenario([{"call": "touch", "args": [{"path": "ckpt/a"}]}, {"call": "touch", "args": [{"path": "ckpt/b"}]},
                     {"damage": "ckpt/a", "remove": True}],
                    [{"files": ["ckpt/b"]}])
    outcome = FakeAdapter().run(raw, str(tmp_path))
    assert judge(build_scenario(raw), outcome).status == "pass"


def test_a_damage_step_that_fails_fails_the_scenario_naming_the_file(tmp_path):
    raw = _scenario([{"call": "touch", "args": [{"path": "one"}]}, {"damage": "one", "truncate": 1},
                     {"call": "touch", "args": [{"path": "after"}]}], [])
    outcome = FakeAdapter().run(raw, str(tmp_path))
    error = outcome.observations["error@program[1]"]
    assert error["type"] == "ValueError"
    assert error["message"] == "cannot truncate <workdir>/one (1 bytes) to 1 bytes: it must get shorter"
    assert not (tmp_path / "after").exists()  # the program stopped there
    verdict = judge(build_scenario(raw), outcome)
    assert verdict.status == "fail"


def test_a_damage_step_renders_as_a_call_of_the_same_function():
    raw = _scenario([{"damage": "ckpt/model.index", "flip": -1}, {"damage": "ckpt/checkpoint", "remove": True}], [])
    source = render_python(build_scenario(raw))
    assert "from conformance.damage import damage_file" in source
    assert "damage_file(WORKDIR, 'ckpt/model.index', flip=-1)" in source
    assert "damage_file(WORKDIR, 'ckpt/checkpoint', remove=True)" in source
    compile(source, "<rendered>", "exec")
    plain = render_python(build_scenario(_scenario([{"call": "touch", "args": ["x"]}], [])))
    assert "damage_file" not in plain
