"""Scenarios already found schema-valid, remembered across runs.

Validating every scenario against the JSON Schema is most of the time it takes to load the spec
(the step and expectation kinds are a large ``oneOf``). A scenario whose content, schema and
jsonschema version are the same as when it last passed need not be validated again: its
fingerprint (SHA-256 of all three) is kept in a small file. Only passes are remembered, so a
scenario with a problem is validated, and reported, every time.

The cache lives in ``$TFCONF_CACHE_DIR`` (default ``$XDG_CACHE_HOME/tfconf``, else
``~/.cache/tfconf``); ``TFCONF_CACHE_DIR=""`` turns it off. A missing, unreadable or
unwritable cache only costs the time it would have saved.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path
from typing import Any


def cache_dir() -> Path | None:
    """Where the cache lives, or None when it is turned off."""
    configured = os.environ.get("TFCONF_CACHE_DIR")
    if configured is not None:
        return Path(configured) if configured else None
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "tfconf"


class ValidatedScenarios:
    """The fingerprints of scenarios that passed schema validation under one schema."""

    def __init__(self, schema: Any, validator_version: str, directory: Path | None = None) -> None:
        self._salt = hashlib.sha256(json.dumps([schema, validator_version], sort_keys=True).encode()).hexdigest()
        directory = cache_dir() if directory is None else directory
        self._file = directory / f"valid-scenarios-{self._salt[:16]}.txt" if directory else None
        self._known = self._read()
        self._added: set[str] = set()

    def fingerprint(self, raw: Any) -> str:
        text = json.dumps(raw, sort_keys=True, ensure_ascii=False, default=repr)
        return hashlib.sha256((self._salt + text).encode()).hexdigest()

    def __contains__(self, fingerprint: str) -> bool:
        return fingerprint in self._known or fingerprint in self._added

    def add(self, fingerprint: str) -> None:
        self._added.add(fingerprint)

    def save(self) -> None:
        """Write what was added (atomically: concurrent loaders at worst lose each other's entries)."""
        if self._file is None or not self._added - self._known:
            return
        try:
            self._file.parent.mkdir(parents=True, exist_ok=True)
            with tempfile.NamedTemporaryFile("w", dir=self._file.parent, delete=False, suffix=".tmp") as out:
                out.write("\n".join(sorted(self._known | self._added)) + "\n")
            os.replace(out.name, self._file)
        except OSError:
            pass
        self._known |= self._added
        self._added.clear()

    def _read(self) -> set[str]:
        if self._file is None:
            return set()
        try:
            lines = self._file.read_text(encoding="ascii").split()
        except (OSError, UnicodeDecodeError):
            return set()
        return {line for line in lines if len(line) == 64}
