"""Rendering a scenario as the runnable TF1 Python script it stands for (``tfconf show ID --python``).

The script records its observations through `conformance.observe.Recorder`, exactly as the
interpreter does, and prints them as JSON; a test runs every scenario's script under real
TensorFlow and requires the same observations as the ``tensorflow`` adapter.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .expressions import Expr, render
from .interpreter import step_phase
from .scenario import (MAIN, AppendStep, CallStep, CheckStep, DamageStep, Expectation, LetStep, RepeatStep, Scenario,
                       SetStep, Stage, Step, WithStep, all_steps, walk_steps)

INDENT = "    "

_RECORDER_IMPORT = "from conformance.observe import Recorder\n"
PROLOGUE = '''\
import os
import tempfile

import numpy as np
import tensorflow.compat.v1 as tf

from conformance.observe import Recorder

tf.disable_v2_behavior()
WORKDIR = tempfile.mkdtemp(prefix="tfconf-")  # the scenario's private directory
rec = Recorder(WORKDIR)  # records what tfconf observes; prints it as JSON at the end
'''


@dataclass
class _Writer:
    lines: list[str] = field(default_factory=list)
    steps: dict[int, tuple[str, str]] = field(default_factory=dict)

    def emit(self, depth: int, text: str) -> None:
        self.lines.append(INDENT * depth + text)

    def mark(self, path: str, phase: str) -> None:
        self.steps[len(self.lines) + 1] = (path, phase)


def render_python(scenario: Scenario, api_module: str = "tensorflow.compat.v1") -> str:
    """The scenario's program as a standalone TF1 Python script."""
    header = [f"# tfconf scenario {scenario.id}: {_one_line(scenario.title)}"]
    if scenario.claims:
        header.append(f"# claims: {', '.join(scenario.claims)}")
    prologue = PROLOGUE.replace("tensorflow.compat.v1", api_module)
    if any(isinstance(step, DamageStep) for step in all_steps(scenario)):
        prologue = prologue.replace(_RECORDER_IMPORT, f"from conformance.damage import damage_file\n{_RECORDER_IMPORT}")
    if api_module != "tensorflow.compat.v1":
        prologue = prologue.replace("tf.disable_v2_behavior()\n", "")
    text = "\n".join(header) + "\n" + prologue
    calls = []
    for stage in scenario.stages:
        function = "program" if stage.name == MAIN else stage.name
        text += f"\n\ndef {function}():\n"
        body, steps = _render_stage(stage, text.count("\n"))
        text += body + "\n"
        if stage.name != MAIN:
            calls += ["tf.reset_default_graph()  # the reader starts afresh, as a new process would",
                      f"rec.prefix = {stage.prefix!r}"]
        calls.append(f"rec.run({function}, {steps!r})")
    return text + "\n\n" + "\n".join(calls) + "\nrec.dump()\n"


def _render_stage(stage: Stage, offset: int) -> tuple[str, dict[int, tuple[str, str]]]:
    writer = _Writer()
    for name in sorted(_append_targets(stage.program)):
        writer.emit(1, f"{name} = []")
    _render_steps(writer, stage.program, 1)
    for index, expectation in enumerate(stage.expectations):
        _render_check(writer, expectation, f"{stage.prefix}expect[{index}]", 1)
    if not writer.lines:
        writer.emit(1, "pass")
    steps = {line + offset: value for line, value in writer.steps.items()}
    return "\n".join(writer.lines), steps


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _append_targets(steps: tuple[Step, ...]) -> set[str]:
    return {step.to for step in walk_steps(steps) if isinstance(step, AppendStep)}



def _render_steps(writer: _Writer, steps: tuple[Step, ...], depth: int) -> None:
    for step in steps:
        _render_step(writer, step, depth)


def _render_step(writer: _Writer, step: Step, depth: int) -> None:
    if isinstance(step, (CallStep, LetStep)):
        expr = step.call if isinstance(step, CallStep) else step.value
        raises = step.raises
        inner = depth + 1 if raises else depth
        if raises:
            writer.emit(depth, f"with rec.expect_error({f'raises@{step.path}'!r}, {step_phase(expr)!r}):")
        writer.mark(step.path, step_phase(expr))
        code = render(expr)
        writer.emit(inner, f"{step.bind} = {code}" if step.bind else code)
        if step.bind and step.record:
            writer.emit(inner, f"rec.record({step.bind!r}, {step.bind})")
    elif isinstance(step, WithStep):
        inner = depth
        if step.raises:
            writer.emit(depth, f"with rec.expect_error({f'raises@{step.path}'!r}, 'build'):")
            inner = depth + 1
        writer.mark(step.path, step_phase(step.manager))
        target = f" as {step.bind}" if step.bind else ""
        writer.emit(inner, f"with {render(step.manager)}{target}:")
        if step.bind:
            writer.emit(inner + 1, f"rec.record({step.bind!r}, {step.bind})")
        _render_steps(writer, step.body, inner + 1)
        if not step.body and not step.bind:
            writer.emit(inner + 1, "pass")
    elif isinstance(step, RepeatStep):
        writer.emit(depth, f"for {step.bind or '_'} in range({step.count}):")
        _render_steps(writer, step.body, depth + 1)
        if not step.body:
            writer.emit(depth + 1, "pass")
    elif isinstance(step, SetStep):
        writer.mark(step.path, "build")
        writer.emit(depth, f"{render(step.target)} = {render(step.value)}")
    elif isinstance(step, AppendStep):
        writer.mark(step.path, step_phase(step.value))
        writer.emit(depth, f"{step.to}.append({render(step.value)})")
    elif isinstance(step, CheckStep):
        _render_check(writer, step.expectation, f"{step.path}.check", depth)
    elif isinstance(step, DamageStep):
        writer.mark(step.path, "build")
        arguments = ", ".join(f"{key}={value!r}" for key, value in step.arguments().items())
        writer.emit(depth, f"damage_file(WORKDIR, {step.target!r}, {arguments})")


def _render_check(writer: _Writer, expectation: Expectation, where: str, depth: int) -> None:
    comment = _describe_matchers(expectation)
    if expectation.files is not None:
        writer.emit(depth, f"rec.check_files({where!r}, WORKDIR)  # expect {comment}")
        return
    assert expectation.that is not None
    args = [repr(where), repr(expectation.label), f"lambda: {render(expectation.that)}",
            repr(step_phase(expectation.that))]
    if expectation.other is not None:
        args += [f"other_label={expectation.other_label!r}", f"other=lambda: {render(expectation.other)}"]
    writer.emit(depth, f"rec.check({', '.join(args)})  # expect {comment}")


def _describe_matchers(expectation: Expectation) -> str:
    if expectation.files is not None:
        return f"files == {list(expectation.files)!r}"
    parts = []
    for key, value in expectation.matchers.items():
        if key in ("is", "is_not"):
            parts.append(f"{key.replace('_', ' ')} {value}")
        else:
            parts.append(f"{key} {value!r}")
    return "; ".join(parts)


__all__ = ["render_python", "Expr"]
