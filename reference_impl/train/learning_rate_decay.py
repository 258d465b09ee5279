"""Learning-rate schedules of ``tf.train`` (TF1 functions, computed as TF 2.21's Keras
schedules compute them): every quantity is cast to the learning rate's dtype and the formula is
built from graph ops, so float32 schedules are float32 all the way."""

from __future__ import annotations

import math
from typing import Any

from .. import dtypes
from ..control_flow_ops import case
from ..graph import Tensor, get_default_graph
from ..math_ops import (add, cast, cos, divide, equal, exp, less_equal, minimum, multiply, negative,
                        unary)
from ..math_ops import pow as _pow
from ..op_def import convert_to_tensor, make_op
from ..shape_inference import broadcast


def _step(global_step: Any, dtype: dtypes.DType) -> Tensor:
    if global_step is None:
        raise ValueError("None values not supported.")
    return cast(global_step, dtype)


def _lr(learning_rate: Any) -> Tensor:
    return convert_to_tensor(learning_rate, name="initial_learning_rate")


def floor(x: Any, name: str | None = None) -> Tensor:
    return unary("Floor", x, name)


def ceil(x: Any, name: str | None = None) -> Tensor:
    return unary("Ceil", x, name)


def where_v2(cond: Tensor, x: Any, y: Any, name: str | None = None) -> Tensor:
    g = get_default_graph()
    with g.name_scope(name or "SelectV2") as scope:
        # (constants named after SelectV2's inputs, "t" and "e", as TF's op wrapper names them)
        x = convert_to_tensor(x, name="t")
        y = convert_to_tensor(y, dtype=x.dtype.base_dtype, name="e")
        shape = broadcast(broadcast(cond.shape, x.shape, scope[:-1], "SelectV2", [cond, x],
                                    x.dtype), y.shape, scope[:-1], "SelectV2", [x, y], x.dtype)
        return make_op("SelectV2", [cond, x, y], [(x.dtype.base_dtype, shape)], scope,
                       {"T": x.dtype.base_dtype}).outputs[0]


def _rate_and_exponent(learning_rate: Any, global_step: Any, decay_steps: Any,
                       decay_rate: Any, staircase: bool) -> tuple[Tensor, Tensor, Tensor]:
    """The learning rate, the rate cast to its dtype and ``step / decay_steps`` (floored)."""
    lr = _lr(learning_rate)
    dt = lr.dtype.base_dtype
    steps = cast(decay_steps, dt)
    rate = cast(decay_rate, dt)
    # A division by the cast constant, as TF builds it: TF's Grappler runs it as a
    # multiplication by the reciprocal, and so does the reference Session (grappler.py).
    p = divide(_step(global_step, dt), steps)
    return lr, rate, floor(p) if staircase else p


def _exponential(learning_rate: Any, global_step: Any, decay_steps: Any, decay_rate: Any,
                 staircase: bool, name: str | None) -> Tensor:
    if global_step is None:
        raise ValueError("None values not supported.")
    g = get_default_graph()
    with g.name_scope(name or "ExponentialDecay") as scope:
        lr, rate, p = _rate_and_exponent(learning_rate, global_step, decay_steps, decay_rate,
                                         staircase)
        return multiply(lr, _pow(rate, p), name=scope)


def exponential_decay(learning_rate: Any, global_step: Any, decay_steps: Any, decay_rate: Any,
                      staircase: bool = False, name: str | None = None) -> Tensor:
    """``learning_rate * decay_rate ** (global_step / decay_steps)`` (floored with staircase)."""
    return _exponential(learning_rate, global_step, decay_steps, decay_rate, staircase, name)


def natural_exp_decay(learning_rate: Any, global_step: Any, decay_steps: Any, decay_rate: Any,
                      staircase: bool = False, name: str | None = None) -> Tensor:
    """``exponential_decay`` with rate ``exp(-decay_rate)``."""
    rate = exp(negative(decay_rate))
    return _exponential(learning_rate, global_step, decay_steps, rate, staircase, name)


def inverse_time_decay(learning_rate: Any, global_step: Any, decay_steps: Any, decay_rate: Any,
                       staircase: bool = False, name: str | None = None) -> Tensor:
    """``learning_rate / (1 + decay_rate * global_step / decay_steps)``."""
    if global_step is None:
        raise ValueError("None values not supported.")
    g = get_default_graph()
    with g.name_scope(name or "InverseTimeDecay") as scope:
        lr, rate, p = _rate_and_exponent(learning_rate, global_step, decay_steps, decay_rate,
                                         staircase)
        one = cast(convert_to_tensor(1), lr.dtype.base_dtype)
        return divide(lr, add(one, multiply(rate, p)), name=scope)


def polynomial_decay(learning_rate: Any, global_step: Any, decay_steps: Any,
                     end_learning_rate: float = 0.0001, power: float = 1.0, cycle: bool = False,
                     name: str | None = None) -> Tensor:
    """``(lr - end) * (1 - step / decay_steps) ** power + end``, clamped or cycling."""
    if global_step is None:
        raise ValueError("None values not supported.")
    g = get_default_graph()
    with g.name_scope(name or "PolynomialDecay") as scope:
        lr = _lr(learning_rate)
        dt = lr.dtype.base_dtype
        end = cast(end_learning_rate, dt)
        pw = cast(power, dt)
        step = _step(global_step, dt)
        steps = cast(decay_steps, dt)
        if cycle:
            multiplier = where_v2(equal(step, 0), 1.0, ceil(step / decay_steps))
            steps = multiply(steps, multiplier)
            p = divide(step, steps)
        else:
            p = divide(minimum(step, steps), steps)
        return add(multiply(lr - end, _pow(1 - p, pw)), end, name=scope)


def cosine_decay(learning_rate: Any, global_step: Any, decay_steps: Any, alpha: float = 0.0,
                 name: str | None = None) -> Tensor:
    """``lr * ((1 - alpha) * 0.5 * (1 + cos(pi * min(step, steps) / steps)) + alpha)``."""
    if global_step is None:
        raise ValueError("None values not supported.")
    g = get_default_graph()
    with g.name_scope(name or "CosineDecay"):
        lr = _lr(learning_rate)
        dt = lr.dtype.base_dtype
        steps = cast(decay_steps, dt)
        step = minimum(_step(global_step, dt), steps)
        fraction = divide(step, steps)
        cosine = 0.5 * (1.0 + cos(convert_to_tensor(math.pi) * fraction))
        decayed = (1 - alpha) * cosine + alpha
        return multiply(lr, decayed)


def piecewise_constant(x: Any, boundaries: Any, values: Any, name: str | None = None) -> Tensor:
    """``values[0]`` while ``x <= boundaries[0]``, ``values[i]`` while ``x <= boundaries[i]``,
    ``values[-1]`` beyond the last boundary.

    Built as TF 2.21 builds it (``PiecewiseConstantDecay``): the boundaries and values become
    tensors (and int32 boundaries of an int64 ``x`` a ``Cast``) outside the name scope, then one
    predicate per interval inside it (``x <= b[0]``, ``x > b[-1]``, ``(x > lo) & (x <= hi)``)
    and an exclusive ``case`` of them: nested ``cond``s after an Assert that at most one
    predicate holds. The result is ``PiecewiseConstant/case/cond/Merge``."""
    if len(boundaries) != len(values) - 1:
        raise ValueError("The length of boundaries should be 1 less than the length of values")
    bounds = [convert_to_tensor(b) for b in boundaries]
    vals = [convert_to_tensor(v) for v in values]
    x_t = convert_to_tensor(x)
    for i, b in enumerate(bounds):
        if b.dtype.base_dtype != x_t.dtype.base_dtype:
            if b.dtype.base_dtype == dtypes.int32 and x_t.dtype.base_dtype == dtypes.int64:
                bounds[i] = cast(b, dtypes.int64)
            else:
                raise ValueError(f"Boundaries ({b.dtype.base_dtype}) must have the same "
                                 f"dtype as x ({x_t.dtype.base_dtype}).")
    for v in vals[1:]:
        if v.dtype.base_dtype != vals[0].dtype.base_dtype:
            raise ValueError(f"Values must have elements all with the same dtype "
                             f"({vals[0].dtype.base_dtype} vs {v.dtype.base_dtype}).")
    g = get_default_graph()
    with g.name_scope(name or "PiecewiseConstant"):
        pairs = [(x_t <= bounds[0], lambda: vals[0]), (x_t > bounds[-1], lambda: vals[-1])]
        for low, high, v in zip(bounds[:-1], bounds[1:], vals[1:-1]):
            pairs.append(((x_t > low) & (x_t <= high), lambda v=v: v))
        return case(pairs, lambda: vals[0], exclusive=True)
