"""Loading spec files: YAML → schema validation → semantic checks → `Scenario` objects.

Every problem is a `LoadProblem` with file, line and a one-line reason; a broken file costs only
its own scenarios, the rest still load.
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass, field
from importlib import metadata, resources
from pathlib import Path
from typing import Any, Iterable, Iterator

import jsonschema
import yaml

from .claims import Claim, load_claims
from .parse_cache import load_yaml_cached
from .validation_cache import ValidatedScenarios
from .expressions import ExpressionError, Lambda, references, Expr
from .scenario import (AppendStep, CallStep, CheckStep, Expectation, LetStep, RepeatStep, Scenario, SetStep, Step,
                       WithStep, build_scenario)
from .yaml_lines import line_at, yaml_error_line

SPEC_SUFFIXES = (".yaml", ".yml")


@dataclass(frozen=True)
class LoadProblem:
    """Why (part of) a spec file could not be loaded."""

    file: str
    line: int
    reason: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.reason}"


@dataclass
class LoadResult:
    scenarios: list[Scenario] = field(default_factory=list)
    problems: list[LoadProblem] = field(default_factory=list)


@functools.lru_cache(maxsize=None)
def schema(name: str) -> dict:
    """A JSON Schema shipped in conformance/schemas/."""
    return json.loads(resources.files("conformance.schemas").joinpath(name).read_text(encoding="utf-8"))


@functools.lru_cache(maxsize=None)
def _scenario_validator() -> jsonschema.protocols.Validator:
    document = schema("scenario.schema.json")
    cls = jsonschema.validators.validator_for(document)
    return cls(document)


def validated_scenarios() -> ValidatedScenarios:
    """The cache of scenarios that passed schema validation before (`conformance.validation_cache`)."""
    return ValidatedScenarios(schema("scenario.schema.json"), _jsonschema_version())


@functools.lru_cache(maxsize=None)
def _jsonschema_version() -> str:
    try:
        return metadata.version("jsonschema")
    except metadata.PackageNotFoundError:
        return "?"


def default_spec_dir() -> Path:
    """spec/ of the source checkout this package lives in."""
    return Path(__file__).resolve().parent.parent / "spec"


def spec_files(paths: Iterable[Path]) -> list[Path]:
    """Every scenario file under the given files and directories, sorted (claims.yaml and the
    known-divergence files in expectations/ excluded)."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found += [p for p in path.rglob("*") if p.suffix in SPEC_SUFFIXES and p.name != "claims.yaml"
                      and "expectations" not in p.relative_to(path).parts[:-1]]
        else:
            found.append(path)
    return sorted(set(found))


def find_claims_file(paths: Iterable[Path]) -> Path | None:
    """spec/claims.yaml: beside or above the given paths, else the package's own spec/."""
    for path in paths:
        for folder in [path if path.is_dir() else path.parent, *path.resolve().parents]:
            candidate = folder / "claims.yaml"
            if candidate.is_file():
                return candidate
    fallback = default_spec_dir() / "claims.yaml"
    return fallback if fallback.is_file() else None


def load_spec(paths: Iterable[str | Path] | str | Path | None = None) -> LoadResult:
    """Load and validate every scenario under ``paths``, one path or several (default: the
    whole spec/)."""
    if isinstance(paths, (str, Path)):
        paths = [paths]  # (a string is iterable too: one path, never its characters)
    paths = [Path(p) for p in (paths or [default_spec_dir()])]
    result = LoadResult()
    claims_file = find_claims_file(paths)
    claims: dict[str, Claim] | None = None
    if claims_file is not None:
        try:
            claims = load_claims(claims_file)
        except (yaml.YAMLError, KeyError, TypeError) as error:
            result.problems.append(LoadProblem(str(claims_file), 0, f"cannot read the claims inventory: {error}"))
    seen: dict[str, Scenario] = {}
    validated = validated_scenarios()
    for file in spec_files(paths):
        if not file.exists():
            result.problems.append(LoadProblem(str(file), 0, "no such file"))
            continue
        scenarios, problems = load_file(file, claims, validated)
        result.problems += problems
        for scenario in scenarios:
            if scenario.id in seen:
                first = seen[scenario.id]
                result.problems.append(LoadProblem(
                    scenario.file, scenario.line,
                    f"duplicate scenario id {scenario.id!r} (first defined at {first.file}:{first.line})"))
                continue
            seen[scenario.id] = scenario
            result.scenarios.append(scenario)
    validated.save()
    return result


def load_file(file: Path, claims: dict[str, Claim] | None = None,
              validated: ValidatedScenarios | None = None) -> tuple[list[Scenario], list[LoadProblem]]:
    """Load one spec file; problems are returned, never raised. ``validated``: scenarios known
    to be schema-valid (default: none, every scenario is validated)."""
    name = str(file)
    try:
        text = file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        return [], [LoadProblem(name, 0, f"cannot read file: {error}")]
    try:
        data = load_yaml_cached(text)
    except yaml.YAMLError as error:
        line, reason = yaml_error_line(error)
        return [], [LoadProblem(name, line, f"invalid YAML: {reason}")]
    if data is None:
        return [], [LoadProblem(name, 1, "the file is empty; expected a scenario mapping")]
    if not isinstance(data, (dict, list)):
        return [], [LoadProblem(name, 1, f"expected a scenario mapping or a list of them, got a {type(data).__name__}")]
    return _load_documents(name, data, claims, validated)


def _load_documents(name: str, data: Any, claims: dict[str, Claim] | None,
                    validated: ValidatedScenarios | None = None) -> tuple[list[Scenario], list[LoadProblem]]:
    items, defaults = _scenario_items(data)
    scenarios: list[Scenario] = []
    problems: list[LoadProblem] = []
    for raw in items:
        if isinstance(raw, dict) and defaults:
            _apply_defaults(raw, defaults)
        fingerprint = validated.fingerprint(raw) if validated is not None else None
        if fingerprint is None or fingerprint not in validated:
            errors = list(_schema_problems(name, raw))
            if errors:
                problems += errors
                continue
            if fingerprint is not None:
                validated.add(fingerprint)
        try:
            scenario = build_scenario(raw, name)
        except ExpressionError as error:
            line = error.line or getattr(raw, "line", 0)
            problems.append(LoadProblem(name, line, f"{raw.get('id')}: {error}"))
            continue
        semantic = list(_semantic_problems(scenario, claims))
        if semantic:
            problems += semantic
            continue
        scenarios.append(scenario)
    return scenarios, problems


def _scenario_items(data: Any) -> tuple[list, dict]:
    if isinstance(data, list):
        return list(data), {}
    if isinstance(data, dict) and "scenarios" in data and "id" not in data:
        scenarios = data.get("scenarios")
        defaults = data.get("defaults") or {}
        extra = set(data) - {"scenarios", "defaults"}
        if extra or not isinstance(scenarios, list):
            return [data], {}  # let the schema explain what is wrong
        return list(scenarios), defaults if isinstance(defaults, dict) else {}
    return [data], {}


def _apply_defaults(raw: dict, defaults: dict) -> None:
    for key in ("tags", "claims"):
        if key in defaults:
            merged = list(defaults[key]) + [v for v in raw.get(key, []) if v not in defaults[key]]
            raw[key] = merged


def _schema_problems(name: str, raw: Any) -> Iterator[LoadProblem]:
    validator = _scenario_validator()
    errors = sorted(validator.iter_errors(raw), key=lambda e: list(map(str, e.absolute_path)))
    if not errors:
        return
    ident = raw.get("id") if isinstance(raw, dict) else None
    prefix = f"{ident}: " if isinstance(ident, str) else ""
    for error in errors:
        best = _most_specific(error)
        path = list(best.absolute_path)
        where = _json_path(path)
        reason = _exactly_one_of(best) or " ".join(best.message.split())
        if len(reason) > 200:
            reason = reason[:197] + "..."
        yield LoadProblem(name, line_at(raw, path), f"{prefix}{where}{reason}")


def _most_specific(error: jsonschema.ValidationError) -> jsonschema.ValidationError:
    """Within a ``oneOf`` (step and expectation kinds), the error of the branch the data meant.

    A step is meant as the kind whose key it has ('call', 'with' …): the branch without a
    'required' or 'type' error about the value itself. Its own deepest error says what is wrong ("'raise' was unexpected")."""
    while error.validator == "oneOf" and error.context:
        branches: dict[int, list[jsonschema.ValidationError]] = {}
        for sub in error.context:
            branches.setdefault(sub.relative_schema_path[0], []).append(sub)
        here = list(error.absolute_path)
        meant = [errs for errs in branches.values()
                 if not any(e.validator in ("required", "type") and list(e.absolute_path) == here for e in errs)]
        if len(meant) != 1:
            return jsonschema.exceptions.best_match([error])
        error = max(meant[0], key=lambda e: len(e.absolute_path))
    return error


def _exactly_one_of(error: jsonschema.ValidationError) -> str | None:
    """For a ``oneOf`` of bare ``required`` keys (a damage step's truncate / flip / remove), say
    which keys it takes and which were given, rather than jsonschema's list of schemas."""
    branches = error.validator_value if error.validator == "oneOf" else None
    if not branches or not all(isinstance(b, dict) and set(b) == {"required"} and len(b["required"]) == 1
                               for b in branches):
        return None
    keys = [b["required"][0] for b in branches]
    given = [k for k in keys if isinstance(error.instance, dict) and k in error.instance]
    return f"takes exactly one of {', '.join(keys)}; " + (f"got {' and '.join(given)}" if given else "got none")


def _json_path(path: list) -> str:
    if not path:
        return ""
    text = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in path).lstrip(".")
    return f"{text}: "


def _semantic_problems(scenario: Scenario, claims: dict[str, Claim] | None) -> Iterator[LoadProblem]:
    raw = scenario.raw
    if claims is not None:
        for claim in scenario.claims:
            if claim not in claims:
                line = raw["claims"].line if hasattr(raw["claims"], "line") else scenario.line
                yield LoadProblem(scenario.file, line, f"{scenario.id}: unknown claim id {claim!r} (not in spec/claims.yaml)")
    for stage in scenario.stages:
        bound: set[str] = set()  # a stage starts afresh: nothing of another stage is bound
        yield from _check_steps(scenario, stage.program, bound)
        for expectation in stage.expectations:
            yield from _check_expectation(scenario, expectation, bound)


def _unbound(scenario: Scenario, exprs: Iterable[Expr | None], bound: set[str], line: int) -> Iterator[LoadProblem]:
    for expr in exprs:
        if expr is None:
            continue
        for name in references(expr):
            if name not in bound:
                yield LoadProblem(scenario.file, line, f"{scenario.id}: '${name}' is used before anything is bound to it")


def _check_steps(scenario: Scenario, steps: tuple[Step, ...], bound: set[str]) -> Iterator[LoadProblem]:
    for step in steps:
        if isinstance(step, CallStep):
            yield from _unbound(scenario, [step.call], bound, step.line)
            bound.add(step.bind) if step.bind else None
        elif isinstance(step, LetStep):
            yield from _unbound(scenario, [step.value], bound, step.line)
            bound.add(step.bind)
        elif isinstance(step, WithStep):
            yield from _unbound(scenario, [step.manager], bound, step.line)
            bound.add(step.bind) if step.bind else None
            yield from _check_steps(scenario, step.body, bound)
        elif isinstance(step, RepeatStep):
            bound.add(step.bind) if step.bind else None
            yield from _check_steps(scenario, step.body, bound)
        elif isinstance(step, AppendStep):
            yield from _unbound(scenario, [step.value], bound, step.line)
            bound.add(step.to)
        elif isinstance(step, SetStep):
            yield from _unbound(scenario, [step.target, step.value], bound, step.line)
        elif isinstance(step, CheckStep):
            yield from _check_expectation(scenario, step.expectation, bound)


def _check_expectation(scenario: Scenario, expectation: Expectation, bound: set[str]) -> Iterator[LoadProblem]:
    yield from _unbound(scenario, [expectation.that, expectation.other], bound, expectation.line)
    matchers = expectation.matchers
    if "tolerance" in matchers and "equals" not in matchers:
        yield LoadProblem(scenario.file, expectation.line, f"{scenario.id}: 'tolerance' needs 'equals'")
    if isinstance(expectation.that, Lambda):
        yield LoadProblem(scenario.file, expectation.line, f"{scenario.id}: a lambda cannot be observed")
