"""The interpreter: runs a scenario's program against a TF1 API module, recording observations.

It is the in-process half of every Python adapter. It evaluates only the expression forms of
`conformance.expressions` — attribute access, calls, operators — on the module it is given;
there is no ``eval`` anywhere. `conformance.render` turns the same program into Python source
that records through the same `Recorder`, and a test holds the two to identical observations.
"""

from __future__ import annotations

import operator
import os
from typing import Any, Callable

import numpy as np

from adapters.base import MissingApi, Outcome, Unsupported

from .damage import damage_file
from .expressions import (Accessor, Api, Call, Const, DictExpr, Expr, Lambda, ListExpr, NdArray, Operator, Ref,
                          SliceExpr, Splat, TempPath, TupleExpr)
from .observe import Recorder
from .scenario import (AppendStep, CallStep, CheckStep, DamageStep, Expectation, LetStep, RepeatStep, SetStep, Stage,
                       Step, WithStep)

_OPERATORS: dict[str, Callable[..., Any]] = {
    "+": operator.add, "-": operator.sub, "*": operator.mul, "/": operator.truediv,
    "//": operator.floordiv, "%": operator.mod, "**": operator.pow, "@": operator.matmul,
    "==": operator.eq, "!=": operator.ne, "<": operator.lt, "<=": operator.le, ">": operator.gt,
    ">=": operator.ge, "and": lambda a, b: a and b, "or": lambda a, b: a or b,
    "neg": operator.neg, "pos": operator.pos, "not": operator.not_, "invert": operator.invert,
    "getitem": operator.getitem,
}
RUN_METHODS = ("run", "eval")


class ProgramStopped(Exception):
    """An unexpected exception ended the program; it is already recorded."""


def step_phase(call: Expr) -> str:
    """'run' when the step calls Session.run / Tensor.eval / Operation.run, else 'build'."""
    target = call.target if isinstance(call, Call) else call
    last = None
    if isinstance(target, Ref) and target.accessors and target.accessors[-1].kind == "attr":
        last = target.accessors[-1].key
    elif isinstance(target, Api):
        last = target.path.rsplit(".", 1)[-1]
    return "run" if last in RUN_METHODS else "build"


def expectation_where(path: str | None, index: int | None) -> str:
    return f"expect[{index}]" if path is None else f"{path}.check"


class Interpreter:
    """Executes one program; create one per scenario run."""

    def __init__(self, api: Any, workdir: str, recorder: Recorder | None = None) -> None:
        self.api = api
        self.workdir = workdir
        self.env: dict[str, Any] = {}
        self.recorder = recorder or Recorder()

    # -- running ------------------------------------------------------------------------------
    def run_stage(self, stage: Stage) -> None:
        """Run one stage; `Unsupported` propagates, API exceptions become observations."""
        self.recorder.prefix = stage.prefix
        try:
            self.exec_steps(stage.program)
            for index, expectation in enumerate(stage.expectations):
                self.observe_expectation(expectation, f"{stage.prefix}expect[{index}]")
        except ProgramStopped:
            pass

    def outcome(self) -> Outcome:
        return Outcome("completed", self.recorder.observations, tuple(self.recorder.checks))

    def exec_steps(self, steps: tuple[Step, ...]) -> None:
        for step in steps:
            self.exec_step(step)

    def exec_step(self, step: Step) -> None:
        if isinstance(step, (CallStep, LetStep)):
            expr = step.call if isinstance(step, CallStep) else step.value
            self._guarded(step, lambda: self._bind(step.bind, self.eval(expr), step.record), expr)
        elif isinstance(step, WithStep):
            self._guarded(step, lambda: self._exec_with(step), step.manager)
        elif isinstance(step, RepeatStep):
            for i in range(step.count):
                if step.bind:
                    self.env[step.bind] = i
                self.exec_steps(step.body)
        elif isinstance(step, SetStep):
            self._guarded(step, lambda: self._assign(step), step.value)
        elif isinstance(step, AppendStep):
            self._guarded(step, lambda: self.env.setdefault(step.to, []).append(self.eval(step.value)), step.value)
        elif isinstance(step, CheckStep):
            self.observe_expectation(step.expectation, f"{step.path}.check")
        elif isinstance(step, DamageStep):
            self._guarded(step, lambda: damage_file(self.workdir, step.target, **step.arguments()),
                          TempPath(step.target))

    def _exec_with(self, step: WithStep) -> None:
        manager = self.eval(step.manager)
        with manager as value:
            if step.bind:
                self._bind(step.bind, value, True)
            self.exec_steps(step.body)

    def _assign(self, step: SetStep) -> None:
        owner = self._eval_ref(Ref(step.target.name, step.target.accessors[:-1]))
        setattr(owner, step.target.accessors[-1].key, self.eval(step.value))

    def _bind(self, name: str | None, value: Any, record: bool) -> None:
        if name is None:
            return
        self.env[name] = value
        if record:
            self.recorder.record(name, value)

    def _guarded(self, step: Step, action: Callable[[], Any], expr: Expr) -> None:
        raises = getattr(step, "raises", None)
        phase = step_phase(expr)
        try:
            try:
                action()
            except MissingApi as missing:
                if raises is None or raises.type != "AttributeError":
                    raise
                raise missing.as_attribute_error() from None  # what TF raises for a name it lacks
        except (Unsupported, ProgramStopped):
            raise
        except Exception as error:  # noqa: BLE001 - the API's exceptions are observations
            key = f"raises@{step.path}" if raises else f"error@{step.path}"
            self.recorder.record_error(key, error, phase)
            if not raises:
                raise ProgramStopped from error
        else:
            if raises:
                self.recorder.record_no_error(f"raises@{step.path}")

    # -- expectations -------------------------------------------------------------------------
    def observe_expectation(self, expectation: Expectation, where: str) -> None:
        if expectation.files is not None:
            self.recorder.check_files(where, self.workdir)
            return
        other = expectation.other
        self.recorder.check(
            where, expectation.label, lambda: self.eval(expectation.that), step_phase(expectation.that),
            other_label=expectation.other_label,
            other=(lambda: self.eval(other)) if other is not None else None)

    # -- evaluation ---------------------------------------------------------------------------
    def eval(self, expr: Expr) -> Any:
        """The value of an expression."""
        if isinstance(expr, Const):
            return expr.value
        if isinstance(expr, Ref):
            return self._eval_ref(expr)
        if isinstance(expr, Api):
            return self.api_attr(expr.path)
        if isinstance(expr, Call):
            function = self.eval(expr.target)
            args: list[Any] = []
            for arg in expr.args:
                args.extend(self.eval(arg.value)) if isinstance(arg, Splat) else args.append(self.eval(arg))
            kwargs: dict[str, Any] = {}
            for key, arg in expr.kwargs:
                kwargs.update(self.eval(arg.value)) if key == "**" else kwargs.__setitem__(key, self.eval(arg))
            return function(*args, **kwargs)
        if isinstance(expr, Operator):
            return _OPERATORS[expr.op](*(self.eval(a) for a in expr.args))
        if isinstance(expr, ListExpr):
            return [self.eval(i) for i in expr.items]
        if isinstance(expr, TupleExpr):
            return tuple(self.eval(i) for i in expr.items)
        if isinstance(expr, SliceExpr):
            return slice(*(self.eval(i) for i in expr.items))
        if isinstance(expr, DictExpr):
            return {self.eval(k): self.eval(v) for k, v in expr.items}
        if isinstance(expr, NdArray):
            return np.array(expr.values, dtype=expr.dtype)
        if isinstance(expr, TempPath):
            return os.path.join(self.workdir, expr.relative)
        if isinstance(expr, Lambda):
            return self._make_lambda(expr)
        raise TypeError(f"cannot evaluate {expr!r}")

    def api_attr(self, path: str) -> Any:
        value = self.api
        for part in path.split("."):
            try:
                value = getattr(value, part)
            except AttributeError:
                raise MissingApi(path) from None
        return value

    def _eval_ref(self, ref: Ref) -> Any:
        if ref.name not in self.env:
            raise NameError(f"name {ref.name!r} is not bound (the step that binds it raised)")
        value = self.env[ref.name]
        for accessor in ref.accessors:
            value = self._access(value, accessor, ref)
        return value

    @staticmethod
    def _access(value: Any, accessor: Accessor, ref: Ref) -> Any:
        if accessor.kind == "call":
            return value()
        if accessor.kind == "index":
            return value[accessor.key]
        try:
            return getattr(value, accessor.key)
        except AttributeError:
            if isinstance(value, (int, float, str, list, tuple, dict, np.ndarray, np.generic)):
                raise
            raise Unsupported(f"{type(value).__name__}.{accessor.key} is not provided (in ${ref.name})") from None

    def _make_lambda(self, expr: Lambda) -> Callable[..., Any]:
        def function(*args: Any, **kwargs: Any) -> Any:
            saved = dict(self.env)
            positional = list(args)
            for param in expr.params:
                if param.startswith("**"):
                    self.env[param[2:]] = kwargs
                    kwargs = {}
                elif param.startswith("*"):
                    self.env[param[1:]] = tuple(positional)
                    positional = []
                elif positional:
                    self.env[param] = positional.pop(0)
                else:
                    self.env[param] = kwargs.pop(param)
            try:
                return self.eval(expr.body)
            finally:
                self.env = saved

        return function
