"""Building blocks shared by the strategies: wrapping generated steps into a scenario mapping
and handing out fresh binding names.

A generated scenario is plain data (dicts, lists, strings, numbers) in the scenario format.
Its id is derived from its content, so the same program always gets the same id and a saved
corpus never holds two files for one program.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

Raw = dict[str, Any]


def digest(program: Any) -> str:
    """A short stable digest of a program (canonical JSON)."""
    text = json.dumps(program, sort_keys=True, separators=(",", ":"))
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:10]


def scenario(area: str, program: list[dict[str, Any]], title: str) -> Raw:
    """A raw scenario mapping: no claims and no ``expect:`` — the oracle of a generated program
    is the agreement of the adapters on every observation the interpreter records."""
    return {
        "id": f"fuzz/{area}-{digest(program)}",
        "title": title,
        "claims": [],
        "tags": ["fuzz", area],
        "program": program,
    }


def session(body: list[dict[str, Any]], name: str = "sess") -> dict[str, Any]:
    """``with tf.Session() as sess:`` around ``body``."""
    return {"with": "Session", "as": name, "do": body}


def run(fetch: Any, bind: str | None = None, sess: str = "sess", **kwargs: Any) -> dict[str, Any]:
    """``bind = sess.run(fetch, **kwargs)``."""
    step: dict[str, Any] = {"call": f"${sess}.run", "args": [fetch]}
    if kwargs:
        step["kwargs"] = kwargs
    if bind:
        step["as"] = bind
    return step


def init() -> dict[str, Any]:
    """``sess.run(tf.global_variables_initializer())`` (a fresh dict each time: saved YAML has no anchors)."""
    return {"call": "$sess.run", "args": [{"call": "global_variables_initializer"}]}


class Names:
    """Fresh binding names (``v1``, ``v2`` …) per prefix, so no binding shadows another and
    every observation key names one value."""

    def __init__(self) -> None:
        self._counts: dict[str, int] = {}

    def fresh(self, prefix: str) -> str:
        self._counts[prefix] = self._counts.get(prefix, 0) + 1
        return f"{prefix}{self._counts[prefix]}"
