"""YAML files already parsed, remembered across runs.

Parsing is most of what loading the spec costs once validation is cached: PyYAML builds a
Python node for every scalar before constructing the data, about 0.6 s for the whole spec,
paid by every ``tfconf`` command and every test session. A file's parse depends only on its
text (and the PyYAML that parsed it), so the result is kept as JSON under the SHA-256 of both:
reading it back takes a few milliseconds and yields the same `LineDict` / `LineList` tree,
line numbers included.

The cache is plain JSON data, never code, in ``$TFCONF_CACHE_DIR/parsed`` (see
`conformance.validation_cache.cache_dir`; ``TFCONF_CACHE_DIR=""`` turns it off). A file whose
data JSON cannot hold exactly (an alias makes two places share one object) is simply parsed
every time; one holding a value JSON has not (a YAML timestamp, binary) is an error anyway. A
missing, corrupt or unwritable entry only costs the time it would have saved; deleting the
directory is always safe. Entries not read for 30 days are deleted when a new one is written,
so edits do not pile up.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
import time
from pathlib import Path
from typing import Any

import yaml

from .validation_cache import cache_dir
from .yaml_lines import LineDict, LineList, load_yaml

# Part of every key: a change to the encoding below, or to what `load_yaml` returns, must bump it.
FORMAT = 2  # 2: mapping keys other than strings are errors
_TAG = f"tfconf parsed YAML {FORMAT}"  # an entry is [_TAG, data]


class _Inexact(Exception):
    """The data holds something a JSON round trip would not give back as it was."""


def load_yaml_cached(text: str) -> Any:
    """`load_yaml` (same result, same errors), answered from the cache when this exact text
    was parsed before."""
    path = _entry(text)
    if path is not None:
        cached = _read(path)
        if cached is not None:
            _touch(path)
            return cached[0]
    data = load_yaml(text)  # a YAML error propagates, and nothing is remembered
    if path is not None:
        _write(path, data)
        _prune(path.parent)
    return data


def _entry(text: str) -> Path | None:
    directory = cache_dir()
    if directory is None:
        return None
    key = hashlib.sha256(f"{FORMAT}\0{yaml.__version__}\0{text}".encode()).hexdigest()
    return directory / "parsed" / f"{key}.json"


def _read(path: Path) -> tuple[Any] | None:
    """``(data,)`` from an entry, or None when there is none or it is not one this module wrote."""
    try:
        with open(path, encoding="utf-8") as f:
            entry = json.load(f, object_hook=_decode)
    except (OSError, ValueError, KeyError, TypeError):
        return None
    if not (isinstance(entry, list) and len(entry) == 2 and entry[0] == _TAG):
        return None
    return (entry[1],)


def _write(path: Path, data: Any) -> None:
    try:
        encoded = json.dumps([_TAG, _encode(data, set())], ensure_ascii=False, separators=(",", ":"))
    except _Inexact:
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile("w", encoding="utf-8", dir=path.parent, delete=False,
                                         suffix=".tmp") as out:
            out.write(encoded)
        os.replace(out.name, path)  # readers see the whole entry or none
    except OSError:
        pass


# Every edit of a spec file leaves its old entry behind; entries not read for this long go
# (whenever a new one is written: a hit is marked by its modification time).
STALE_AFTER_S = 30 * 24 * 3600


def _touch(path: Path) -> None:
    try:
        os.utime(path)
    except OSError:
        pass


def _prune(directory: Path) -> None:
    cutoff = time.time() - STALE_AFTER_S
    try:
        entries = list(os.scandir(directory))
    except OSError:
        return
    for entry in entries:
        try:
            if entry.name.endswith((".json", ".tmp")) and entry.stat().st_mtime < cutoff:
                os.unlink(entry.path)
        except OSError:
            pass


# Every JSON object in an entry stands for a mapping ({"m": line, "p": [[key, key line, value],
# ...]}: pairs, as YAML keys need not be strings) or a sequence ({"s": line, "i": item lines,
# "v": items}); scalars are themselves.
def _encode(node: Any, seen: set[int]) -> Any:
    if node is None or isinstance(node, (str, bool, int, float)):
        return node
    if id(node) in seen:  # an alias: JSON would give back two objects where YAML gave one
        raise _Inexact
    seen.add(id(node))
    if isinstance(node, LineDict):
        return {"m": node.line, "p": [[_encode(k, seen), node.line_of(k), _encode(v, seen)] for k, v in node.items()]}
    if isinstance(node, LineList):
        return {"s": node.line, "i": node.item_lines, "v": [_encode(v, seen) for v in node]}
    raise _Inexact  # (a type JSON has not: `load_yaml` refuses those)


def _decode(obj: dict[str, Any]) -> LineDict | LineList:
    if "m" in obj:
        mapping = LineDict()
        mapping.line = obj["m"]
        mapping.key_lines = {}
        for key, line, value in obj["p"]:
            mapping[key] = value
            mapping.key_lines[key] = line
        return mapping
    sequence = LineList(obj["v"])
    sequence.line = obj["s"]
    sequence.item_lines = obj["i"]
    return sequence
