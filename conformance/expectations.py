"""Known divergences: per-adapter files listing scenarios expected to fail, with reasons.

A failing or erroring result that an entry covers becomes ``xfail`` (with the entry's reason);
a passing one becomes ``xpass``, which fails the run so that a fix is noticed and the entry
removed. An entry naming a scenario that does not exist is a load problem: no stale entry
survives. Files: ``spec/expectations/<adapter>.yaml`` for the adapters in a run, plus any given
with ``--expectations``; format: ``conformance/schemas/expectations.schema.json``.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Mapping

import jsonschema
import yaml

from .loader import LoadProblem, schema
from .results import Result
from .yaml_lines import line_at, load_yaml, yaml_error_line


@dataclass(frozen=True)
class Divergence:
    """One scenario an adapter is expected to fail."""

    adapter: str
    scenario: str
    reason: str
    when: Mapping[str, str]
    file: str
    line: int

    def applies(self, description: Mapping[str, Any]) -> bool:
        for key, wanted in self.when.items():
            value = str(description.get(key, ""))
            if key == "device" and value != wanted:
                return False
            if key != "device" and not value.startswith(wanted):
                return False
        return True


def load_expectations(files: Iterable[Path]) -> tuple[list[Divergence], list[LoadProblem]]:
    """Read expectation files; problems name file and line."""
    divergences: list[Divergence] = []
    problems: list[LoadProblem] = []
    validator = jsonschema.Draft202012Validator(schema("expectations.schema.json"))
    for file in files:
        try:
            data = load_yaml(file.read_text(encoding="utf-8"))
        except yaml.YAMLError as error:
            line, reason = yaml_error_line(error)
            problems.append(LoadProblem(str(file), line, f"invalid YAML: {reason}"))
            continue
        except OSError as error:
            problems.append(LoadProblem(str(file), 0, f"cannot read file: {error}"))
            continue
        errors = list(validator.iter_errors(data))
        if errors:
            problems += [LoadProblem(str(file), line_at(data, list(e.absolute_path)), " ".join(e.message.split()))
                         for e in errors]
            continue
        for index, entry in enumerate(data["divergences"]):
            line = data["divergences"].line_of(index)
            divergences.append(Divergence(data["adapter"], entry["scenario"], entry["reason"],
                                          dict(entry.get("when", {})), str(file), line))
    return divergences, problems


def default_files(spec_dirs: Iterable[Path], adapters: Iterable[str]) -> list[Path]:
    """spec/expectations/<adapter>.yaml for each adapter of the run, where such a file exists."""
    found = []
    for folder in spec_dirs:
        for adapter in adapters:
            candidate = folder / "expectations" / f"{adapter}.yaml"
            if candidate.is_file():
                found.append(candidate)
    return found


def stale_entries(divergences: Iterable[Divergence], scenario_ids: set[str]) -> list[LoadProblem]:
    """Entries naming no scenario of the spec."""
    return [LoadProblem(d.file, d.line, f"expected failure of {d.scenario!r} on {d.adapter}: no such scenario")
            for d in divergences if d.scenario not in scenario_ids]


def apply_expectations(result: Result, divergences: Iterable[Divergence],
                       descriptions: Mapping[str, Mapping[str, Any]]) -> Result:
    """The result with known divergences applied: fail/error → xfail, pass → xpass."""
    for divergence in divergences:
        if divergence.adapter != result.adapter or divergence.scenario != result.scenario:
            continue
        if not divergence.applies(descriptions.get(result.adapter, {})):
            continue
        if result.status in ("fail", "error"):
            return dataclasses.replace(result, status="xfail", reason=f"expected failure: {divergence.reason}")
        if result.status == "pass":
            return dataclasses.replace(result, status="xpass", reason=(
                f"expected to fail ({divergence.reason}) but passed: remove the entry at "
                f"{divergence.file}:{divergence.line}"))
    return result
