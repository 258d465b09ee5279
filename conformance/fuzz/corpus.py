"""Saving a divergence as a scenario file that ``tfconf run --spec DIR`` replays.

The file is an ordinary scenario (schema-valid, no expectations: the replay shows the
difference as "adapters observed different things", and ``--json`` holds it in full). What each
adapter observed where they differ goes into the scenario's ``notes:`` (data the loader keeps)
and, for a reader, into a comment block above it.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml

from .driver import ProgramOutcome
from .program import Raw

MAX_DIFFERENCES = 8  # the first differences say what is wrong; the rest are mostly consequences


def _short(value: Any, limit: int = 300) -> str:
    text = json.dumps(value, sort_keys=True)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def describe_outcome(outcome: ProgramOutcome) -> str:
    """What each adapter observed where they differ, one line per adapter per observation."""
    lines = [f"Fuzz finding ({outcome.kind}) on {', '.join(outcome.results)}."]
    for name, result in outcome.results.items():
        if result.status in ("error", "skip"):
            detail = result.error or result.reason or ""
            lines.append(f"{name}: {result.status}: {detail.strip().splitlines()[-1] if detail.strip() else ''}")
    for difference in outcome.differences[:MAX_DIFFERENCES]:
        lines.append(f"observation {difference['key']}:")
        for name, value in difference["values"].items():
            lines.append(f"  {name}: {_short(value)}")
    if len(outcome.differences) > MAX_DIFFERENCES:
        lines.append(f"... and {len(outcome.differences) - MAX_DIFFERENCES} more differing observations")
    return "\n".join(lines)


def finding_scenario(outcome: ProgramOutcome) -> Raw:
    """The raw scenario to save: the program, tagged, with what each adapter observed in notes."""
    raw = json.loads(json.dumps(outcome.raw))  # a plain copy: no shared sub-objects, no aliases
    raw["title"] = f"fuzz finding: adapters disagree on a generated {raw['id'].split('/')[1].split('-')[0]} program"
    raw["notes"] = describe_outcome(outcome)
    raw["tags"] = list(dict.fromkeys([*raw.get("tags", []), "fuzz-finding"]))
    return raw


class _Dumper(yaml.SafeDumper):
    """Block style for multi-line strings (the notes read as text); no aliases."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def _str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _str)


def save_finding(outcome: ProgramOutcome, directory: str | Path) -> Path:
    """Write the finding to ``DIRECTORY/<id>.yaml`` (the id is the program's digest); returns the path."""
    folder = Path(directory)
    folder.mkdir(parents=True, exist_ok=True)
    raw = finding_scenario(outcome)
    path = folder / f"{raw['id'].replace('/', '-')}.yaml"
    comment = "\n".join(f"# {line}" for line in raw["notes"].splitlines())
    body = yaml.dump(raw, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=110)
    path.write_text(f"# Written by `tfconf fuzz`; replay with `tfconf run --spec {folder}`.\n{comment}\n{body}",
                    encoding="utf-8")
    return path
