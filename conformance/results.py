"""Results: one record per (scenario, adapter), written as JSON Lines.

A results file is a ``header`` line (tfconf version, git revision, platform, each adapter's
description), one ``scenario`` line per scenario (title, claims, erratum, its program rendered
as TF1 Python), one ``result`` line per pair, one ``comparison`` line per scenario on which
adapters disagree, and a ``footer`` with totals. ``conformance/schemas/results.schema.json``
defines every line.
"""

from __future__ import annotations

import json
import platform
import subprocess
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Iterator, Mapping

STATUSES = ("pass", "fail", "error", "skip", "xfail", "xpass")
FORMAT_VERSION = 1


@dataclass(frozen=True)
class Result:
    """The verdict for one scenario on one adapter."""

    scenario: str
    adapter: str
    status: str
    duration: float = 0.0
    title: str = ""
    area: str = ""
    claims: tuple[str, ...] = ()
    observations: Mapping[str, Any] = field(default_factory=dict)
    checks: tuple[Mapping[str, Any], ...] = ()
    mismatches: tuple[str, ...] = ()
    reason: str | None = None  # why skipped
    error: str | None = None  # the traceback of an adapter error
    writer: str | None = None  # in a writer × reader run: the adapter that ran the main stage
    reader: str | None = None  # … and the adapter that ran the reader stage

    def to_json(self) -> dict[str, Any]:
        data = {"type": "result", "scenario": self.scenario, "adapter": self.adapter, "status": self.status,
                "duration": round(self.duration, 6), "title": self.title, "area": self.area,
                "claims": list(self.claims), "observations": dict(self.observations),
                "checks": [dict(c) for c in self.checks], "mismatches": list(self.mismatches),
                "reason": self.reason, "error": self.error}
        if self.writer is not None:
            data.update(writer=self.writer, reader=self.reader)
        return data

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> "Result":
        return cls(data["scenario"], data["adapter"], data["status"], data.get("duration", 0.0),
                   data.get("title", ""), data.get("area", ""), tuple(data.get("claims", ())),
                   data.get("observations", {}), tuple(data.get("checks", ())), tuple(data.get("mismatches", ())),
                   data.get("reason"), data.get("error"), data.get("writer"), data.get("reader"))


@dataclass(frozen=True)
class Comparison:
    """Where the adapters disagree on one scenario."""

    scenario: str
    adapters: tuple[str, ...]
    differences: tuple[Mapping[str, Any], ...]

    def to_json(self) -> dict[str, Any]:
        return {"type": "comparison", "scenario": self.scenario, "adapters": list(self.adapters),
                "differences": [dict(d) for d in self.differences]}


@dataclass(frozen=True)
class ScenarioRecord:
    """What a report needs to know about one scenario that ran, written once per scenario so a
    results file is readable without the spec that produced it (it may have changed since)."""

    id: str
    title: str = ""
    area: str = ""
    claims: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    erratum: str | None = None
    python: str | None = None  # the TF1 Python the scenario stands for (`render.render_python`)
    file: str | None = None
    line: int | None = None

    def to_json(self) -> dict[str, Any]:
        return {"type": "scenario", "id": self.id, "title": self.title, "area": self.area,
                "claims": list(self.claims), "tags": list(self.tags), "erratum": self.erratum,
                "python": self.python, "file": self.file, "line": self.line}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> "ScenarioRecord":
        return cls(data["id"], data.get("title", ""), data.get("area", ""), tuple(data.get("claims", ())),
                   tuple(data.get("tags", ())), data.get("erratum"), data.get("python"), data.get("file"),
                   data.get("line"))


def scenario_record(scenario: Any) -> ScenarioRecord:
    """The `ScenarioRecord` of a loaded `conformance.scenario.Scenario`."""
    from .render import render_python

    try:
        python = render_python(scenario)
    except Exception:  # noqa: BLE001 - a renderer gap must not cost the run; the report says "not rendered"
        python = None
    return ScenarioRecord(scenario.id, scenario.title, scenario.area, tuple(scenario.claims), tuple(scenario.tags),
                          scenario.erratum, python, scenario.file, scenario.line)


def git_revision(cwd: Path | None = None) -> str | None:
    try:
        out = subprocess.run(["git", "rev-parse", "HEAD"], cwd=cwd or Path(__file__).parent,
                             capture_output=True, text=True, timeout=5)
    except (OSError, subprocess.SubprocessError):
        return None
    return out.stdout.strip() or None


def header(adapters: Iterable[Mapping[str, Any]], started: str) -> dict[str, Any]:
    from . import __version__

    return {"type": "header", "format": FORMAT_VERSION, "tfconf": __version__, "git": git_revision(),
            "platform": platform.platform(), "python": sys.version.split()[0], "started": started,
            "adapters": list(adapters)}


def totals(results: Iterable[Result]) -> dict[str, Any]:
    results = list(results)
    by_adapter: dict[str, Counter] = {}
    for r in results:
        by_adapter.setdefault(r.adapter, Counter())[r.status] += 1
    overall = Counter(r.status for r in results)
    return {"total": len(results), **{s: overall.get(s, 0) for s in STATUSES},
            "by_adapter": {a: {s: c.get(s, 0) for s in STATUSES} for a, c in by_adapter.items()}}


def footer(results: Iterable[Result], duration: float, startup: float | None = None) -> dict[str, Any]:
    """The last record of a run: its ``duration`` and, of that, the ``startup`` (seconds until
    every worker had started, or failed to), and the totals."""
    record: dict[str, Any] = {"type": "footer", "duration": round(duration, 3)}
    if startup is not None:
        record["startup"] = round(startup, 3)
    return {**record, "totals": totals(results)}


def write_jsonl(path: Path, records: Iterable[Mapping[str, Any]]) -> None:
    """Write ``records`` as JSON Lines, creating the file's directory as the other reports do."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as out:
        for record in records:
            out.write(json.dumps(record, sort_keys=False) + "\n")


def read_jsonl(path: Path) -> Iterator[dict[str, Any]]:
    with path.open(encoding="utf-8") as source:
        for number, line in enumerate(source, 1):
            if line.strip():
                try:
                    yield json.loads(line)
                except json.JSONDecodeError as error:
                    raise ValueError(f"{path}:{number}: not a JSON line: {error.msg}") from None
                except RecursionError:
                    raise ValueError(f"{path}:{number}: nested too deeply to read") from None
