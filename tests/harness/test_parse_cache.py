"""The cache of parsed YAML files: the same data and lines as a fresh parse, or no entry at all."""

from __future__ import annotations

import math

import pytest
import yaml

import conformance.parse_cache as parse_cache
from conformance.loader import default_spec_dir, spec_files
from conformance.parse_cache import load_yaml_cached
from conformance.yaml_lines import LineDict, LineList, load_yaml


@pytest.fixture
def cache(tmp_path, monkeypatch):
    directory = tmp_path / "cache"
    monkeypatch.setenv("TFCONF_CACHE_DIR", str(directory))
    return directory / "parsed"


def assert_same_tree(got, want, where="$"):
    """Equal values of the same types, with the same lines, all the way down."""
    assert type(got) is type(want), where
    if isinstance(want, LineDict):
        assert (got.line, list(got), list(got.key_lines.items())) == \
            (want.line, list(want), list(want.key_lines.items())), where
        for key in want:
            assert_same_tree(got[key], want[key], f"{where}.{key}")
    elif isinstance(want, LineList):
        assert (got.line, got.item_lines, len(got)) == (want.line, want.item_lines, len(want)), where
        for i, (g, w) in enumerate(zip(got, want)):
            assert_same_tree(g, w, f"{where}[{i}]")
    elif isinstance(want, float) and math.isnan(want):
        assert math.isnan(got), where
    else:
        assert got == want and repr(got) == repr(want), where  # repr: -0.0 is not 0.0


def test_every_spec_file_comes_back_from_the_cache_as_parsed(cache, monkeypatch):
    texts = [f.read_text(encoding="utf-8") for f in spec_files([default_spec_dir()])]
    for text in texts:
        load_yaml_cached(text)
    assert len(list(cache.iterdir())) == len(set(texts))

    def no_parsing(_text):
        raise AssertionError("parsed again")

    monkeypatch.setattr(parse_cache, "load_yaml", no_parsing)  # (the test's own load_yaml still parses)
    for text in texts:
        assert_same_tree(load_yaml_cached(text), load_yaml(text))


def test_scalars_json_has_no_names_for_round_trip_exactly(cache):
    text = ("three: 3\nanswer: yes\nnull value: ~\nfloats: [.nan, -.inf, -0.0, 2.5, 12345678901234567890123, 0x1F]\n"
            "'quoted': {nested: [a, {b: c}], empty: {}}\nlist: []\n")
    fresh = load_yaml(text)
    load_yaml_cached(text)
    assert len(list(cache.iterdir())) == 1
    assert_same_tree(load_yaml_cached(text), fresh)


def test_a_key_that_is_not_a_string_is_an_error_every_time(cache):
    for _ in range(2):
        with pytest.raises(yaml.YAMLError, match="reads 'on' as the bool True"):
            load_yaml_cached("a: 1\non: 2\n")
    assert not cache.exists() or not list(cache.iterdir())


def test_data_json_cannot_hold_exactly_is_parsed_every_time(cache):
    text = "a: &shared [1, 2]\nb: *shared\n"  # an alias: one list in two places
    first = load_yaml_cached(text)
    assert not cache.exists() or not list(cache.iterdir())
    again = load_yaml_cached(text)
    assert again == first == load_yaml(text)
    assert again["a"] is again["b"]


@pytest.mark.parametrize("text", [
    "when: 2026-12-07\n",                       # a timestamp: a date object
    "blob: !!binary aGVsbG8=\n",                 # bytes
])
def test_a_value_json_has_not_is_an_error_and_never_cached(cache, text):
    for _ in range(2):
        with pytest.raises(yaml.YAMLError, match="which a tfconf document cannot hold"):
            load_yaml_cached(text)
    assert not cache.exists() or not list(cache.iterdir())


def test_a_corrupt_entry_is_parsed_again_and_replaced(cache):
    text = "id: x\nsteps: [1, 2]\n"
    load_yaml_cached(text)
    (entry,) = cache.iterdir()
    for garbage in (b"", b"{\"m\": 1", b"[1, 2]", b"{\"s\": 1}", b"\xff\xfe"):
        entry.write_bytes(garbage)
        assert_same_tree(load_yaml_cached(text), load_yaml(text))
        assert_same_tree(load_yaml_cached(text), load_yaml(text))  # now from the rewritten entry


def test_invalid_yaml_raises_as_before_and_is_not_remembered(cache):
    with pytest.raises(yaml.YAMLError):
        load_yaml_cached("a: [1, 2\n")
    with pytest.raises(yaml.YAMLError, match="duplicate key"):
        load_yaml_cached("a: 1\na: 2\n")
    assert not cache.exists() or not list(cache.iterdir())


def test_turned_off_it_writes_nothing(tmp_path, monkeypatch):
    monkeypatch.setenv("TFCONF_CACHE_DIR", "")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert load_yaml_cached("a: [1]\n") == {"a": [1]}
    assert not any(tmp_path.iterdir())



def test_entries_unread_for_a_month_go_when_another_is_written(cache):
    import os
    import time

    read, unread, new = "a: 1\n", "b: 2\n", "c: 3\n"
    for text in (read, unread):
        load_yaml_cached(text)
    month_ago = time.time() - parse_cache.STALE_AFTER_S - 60
    for text in (read, unread):
        os.utime(parse_cache._entry(text), (month_ago, month_ago))
    load_yaml_cached(read)  # a hit: its entry counts as read now
    load_yaml_cached(new)  # a new entry is written, and stale ones go
    assert sorted(p.name for p in cache.iterdir()) == sorted(parse_cache._entry(t).name for t in (read, new))
