"""Scenario value objects: what the loader produces and every other part consumes.

A scenario is immutable once loaded. Its ``raw`` mapping (the validated YAML data, plain JSON)
travels to adapters, including out-of-process ones, which re-parse it with `parse_stages`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterator, Mapping

from .expressions import Call, Expr, ExpressionError, Ref, check_relative_path, parse, parse_call, parse_ref


@dataclass(frozen=True)
class ErrorSpec:
    """An expected exception: its class name, message (exact or regex) and phase."""

    type: str
    message: str | None = None
    match: str | None = None
    phase: str | None = None


@dataclass(frozen=True)
class Step:
    """One program step. ``path`` (``program[2].do[0]``) names it in observations."""

    path: str
    line: int


@dataclass(frozen=True)
class CallStep(Step):
    call: Call
    bind: str | None = None
    raises: ErrorSpec | None = None
    record: bool = True


@dataclass(frozen=True)
class LetStep(Step):
    value: Expr
    bind: str
    raises: ErrorSpec | None = None
    record: bool = True


@dataclass(frozen=True)
class WithStep(Step):
    manager: Call
    body: tuple[Step, ...]
    bind: str | None = None
    raises: ErrorSpec | None = None


@dataclass(frozen=True)
class RepeatStep(Step):
    count: int
    body: tuple[Step, ...]
    bind: str | None = None


@dataclass(frozen=True)
class SetStep(Step):
    target: Ref  # ends in an attribute: the one assigned
    value: Expr


@dataclass(frozen=True)
class AppendStep(Step):
    value: Expr
    to: str


@dataclass(frozen=True)
class DamageStep(Step):
    """Damage ``target`` (a path inside the scenario's directory): ``action`` is ``truncate``
    (keep ``amount`` bytes), ``flip`` (invert the byte at offset ``amount``) or ``remove``."""

    target: str
    action: str
    amount: int | None = None

    def arguments(self) -> dict[str, Any]:
        """The keyword arguments of `conformance.damage.damage_file` that do this damage."""
        return {self.action: True if self.action == "remove" else self.amount}


@dataclass(frozen=True)
class Expectation:
    """One assertion on an observed value (``that``) or on the files the program wrote."""

    line: int
    label: str
    that: Expr | None = None
    matchers: Mapping[str, Any] = field(default_factory=dict)
    other: Expr | None = None  # the right-hand side of ``is`` / ``is_not``
    other_label: str | None = None
    files: tuple[str, ...] | None = None


@dataclass(frozen=True)
class CheckStep(Step):
    expectation: Expectation


@dataclass(frozen=True)
class Stage:
    """A program with its expectations. A scenario has a ``main`` stage and may have a
    ``reader`` stage, which starts afresh and reads the files the main stage wrote."""

    name: str
    program: tuple[Step, ...]
    expectations: tuple[Expectation, ...]

    @property
    def prefix(self) -> str:
        """Prefix of this stage's step paths, expectation places and observation keys."""
        return "" if self.name == MAIN else f"{self.name}."


MAIN, READER = "main", "reader"
STAGES = (MAIN, READER)


@dataclass(frozen=True)
class Skip:
    """Why a scenario is not run, and where: some adapters, some devices, or everywhere."""

    reason: str
    adapters: tuple[str, ...] = ()  # empty: every adapter
    devices: tuple[str, ...] = ()  # empty: every device

    def applies_to(self, adapter: str, device: str | None = None) -> bool:
        """Whether to skip on ``adapter``; a device condition needs the adapter's ``device``."""
        if self.adapters and adapter not in self.adapters:
            return False
        return not self.devices or device in self.devices


@dataclass(frozen=True)
class Scenario:
    """A validated scenario."""

    id: str
    title: str
    claims: tuple[str, ...]
    program: tuple[Step, ...]
    expectations: tuple[Expectation, ...]
    raw: Mapping[str, Any]
    file: str = "<memory>"
    line: int = 0
    tags: tuple[str, ...] = ()
    erratum: str | None = None
    skip: Skip | None = None
    stages: tuple[Stage, ...] = ()

    @property
    def area(self) -> str:
        return self.id.split("/", 1)[0]

    @property
    def has_reader(self) -> bool:
        return any(stage.name == READER for stage in self.stages)


def _line(node: Any, default: int) -> int:
    return getattr(node, "line", default)


def parse_error_spec(data: Mapping[str, Any] | None) -> ErrorSpec | None:
    if data is None:
        return None
    return ErrorSpec(data["type"], data.get("message"), data.get("match"), data.get("phase"))


def parse_expectation(data: Mapping[str, Any], line: int) -> Expectation:
    """Build an `Expectation` from its mapping (already schema-valid)."""
    from .expressions import render

    line = _line(data, line)
    if "files" in data:
        return Expectation(line, "files", files=tuple(data["files"]))
    that = parse(data["that"])
    matchers = {k: v for k, v in data.items() if k not in ("that", "comment", "is", "is_not")}
    other = None
    for key in ("is", "is_not"):
        if key in data:
            other = parse(data[key])
            matchers[key] = render(other)
    return Expectation(line, render(that), that, matchers, other, render(other) if other else None)


def parse_steps(items: list, prefix: str, line: int) -> tuple[Step, ...]:
    """Build the step tree of a program (already schema-valid)."""
    steps: list[Step] = []
    for index, item in enumerate(items):
        path, at = f"{prefix}[{index}]", _line(item, line)
        try:
            steps.append(_parse_step(item, path, at))
        except ExpressionError as error:
            error.line = error.line or at
            raise
    return tuple(steps)


def _parse_step(item: Mapping[str, Any], path: str, at: int) -> Step:
    raises = parse_error_spec(item.get("raises"))
    if "call" in item:
        call = parse_call(item["call"], item.get("args"), item.get("kwargs"))
        return CallStep(path, at, call, item.get("as"), raises, item.get("record", True))
    if "let" in item:
        return LetStep(path, at, parse(item["let"]), item["as"], raises, item.get("record", True))
    if "with" in item:
        manager = parse_call(item["with"], item.get("args"), item.get("kwargs"))
        body = parse_steps(item["do"], f"{path}.do", at)
        return WithStep(path, at, manager, body, item.get("as"), raises)
    if "repeat" in item:
        return RepeatStep(path, at, item["repeat"], parse_steps(item["do"], f"{path}.do", at), item.get("as"))
    if "set" in item:
        return SetStep(path, at, parse_ref(item["set"]), parse(item["to"]))
    if "append" in item:
        return AppendStep(path, at, parse(item["append"]), item["to"])
    if "damage" in item:
        action = next(a for a in ("truncate", "flip", "remove") if a in item)
        amount = None if action == "remove" else item[action]
        return DamageStep(path, at, check_relative_path(item["damage"]), action, amount)
    return CheckStep(path, at, parse_expectation(item["check"], at))


def walk_steps(steps: tuple[Step, ...]) -> Iterator[Step]:
    """Every step of a program, nested ones (in ``with`` and ``repeat`` bodies) after their parent."""
    for step in steps:
        yield step
        if isinstance(step, (WithStep, RepeatStep)):
            yield from walk_steps(step.body)


def all_steps(scenario: Scenario) -> Iterator[Step]:
    """Every step of every stage of a scenario."""
    for stage in scenario.stages:
        yield from walk_steps(stage.program)


def parse_stages(raw: Mapping[str, Any]) -> tuple[Stage, ...]:
    """The stages of a raw scenario mapping: ``main`` and, if present, ``reader``."""
    stages = []
    for name, data in ((MAIN, raw), (READER, raw.get(READER))):
        if data is None:
            continue
        prefix = "" if name == MAIN else f"{name}."
        line = _line(data, _line(raw, 0))
        program = parse_steps(data["program"], f"{prefix}program", line)
        expectations = tuple(parse_expectation(e, line) for e in data.get("expect", ()))
        stages.append(Stage(name, program, expectations))
    return tuple(stages)


def build_scenario(raw: Mapping[str, Any], file: str = "<memory>") -> Scenario:
    """A `Scenario` from a schema-valid mapping."""
    stages = parse_stages(raw)
    program, expectations = stages[0].program, stages[0].expectations
    skip = raw.get("skip")
    return Scenario(
        id=raw["id"],
        title=raw["title"],
        claims=tuple(raw["claims"]),
        program=program,
        expectations=expectations,
        raw=raw,
        file=file,
        line=_line(raw, 0),
        tags=tuple(raw.get("tags", ())),
        erratum=raw.get("erratum"),
        skip=Skip(skip["reason"], tuple(skip.get("adapters", ())), tuple(skip.get("devices", ()))) if skip else None,
        stages=stages,
    )
