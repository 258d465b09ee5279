"""``tf.concat`` (``ConcatV2``) with TF's shape function and its errors.

A single input becomes an ``Identity`` (after TF's ``concat_dim`` check constant); otherwise the
output's concat dimension is the sum of the inputs' when all are known, the other dimensions are
merged across inputs, and an axis known only at run time leaves every dimension unknown.
"""

from __future__ import annotations

from typing import Any, Sequence

import numpy as np

from . import dtypes
from .constant_folding import evaluate
from .graph import Tensor
from .op_def import convert_list_input, convert_to_tensor, graph_of, make_op
from .op_errors import shape_error
from .shape_inference import dt_enum, shape_text
from .tensor_shape import TensorShape

__all__ = ["concat"]


def concat(values: Sequence[Any], axis: Any, name: str = "concat") -> Tensor:
    """``values`` joined along ``axis`` (negative counts from the end)."""
    values = list(values)
    g = graph_of(values + [axis])
    if len(values) == 1:
        with g.as_default(), g.name_scope(name) as scope:
            a = convert_to_tensor(axis, dtype=dtypes.int32, name="concat_dim")
            if a.shape.ndims not in (None, 0):
                raise ValueError(f"Shape {a.shape} must have rank 0")
            from .array_ops import identity
            return identity(values[0], name=name)
    with g.as_default(), g.name_scope(name) as scope:
        xs = convert_list_input(values, "ConcatV2")
        a = axis if isinstance(axis, Tensor) else convert_to_tensor(axis, dtype=dtypes.int32,
                                                                   name="axis")
        dt = xs[0].dtype.base_dtype
        inputs = xs + [a]
        attrs = f"N={len(xs)}, T={dt_enum(dt)}, Tidx={dt_enum(a.dtype)}"
        out = _concat_shape(xs, a, scope[:-1], attrs, inputs)
        return make_op("ConcatV2", inputs, [(dt, out)], scope,
                       {"N": len(xs), "T": dt, "Tidx": a.dtype.base_dtype}).outputs[0]


def _merge(a: TensorShape, b: TensorShape, fail: Any) -> TensorShape:
    """TF's Merge of two shapes of equal rank, with its message on a conflict."""
    out = []
    for i, (x, y) in enumerate(zip(a.as_list(), b.as_list())):
        if x is not None and y is not None and x != y:
            raise fail(f"Dimension {i} in both shapes must be equal, but are {x} and {y}. "
                       f"Shapes are {shape_text(a)} and {shape_text(b)}.")
        out.append(x if x is not None else y)
    return TensorShape(out)


def _concat_shape(xs: list[Tensor], a: Tensor, name: str, attrs: str,
                  inputs: list[Tensor]) -> TensorShape:
    value = evaluate(a)

    def fail(message: str, computed: bool = True) -> ValueError:
        return shape_error(message, name, "ConcatV2", attrs, inputs,
                           {len(xs): value} if computed and value is not None else None)

    # TF 2.21 checks the inputs' ranks against the first known one before it asks for the
    # axis' value (so these messages list no computed input tensors).
    ranks = [x.shape.ndims for x in xs if x.shape.ndims is not None]
    if ranks and ranks[0] == 0:
        raise fail("Can't concatenate scalars (use tf.stack instead)", False)
    for r in ranks[1:]:
        if r != ranks[0]:
            raise fail(f"Shape must be rank {ranks[0]} but is rank {r}", False)
    if value is None:
        return TensorShape([None] * ranks[0]) if ranks else TensorShape(None)
    axis = int(np.ravel(value)[0])
    min_rank = -axis if axis < 0 else axis + 1
    rank = None
    for x in reversed(xs):
        if x.shape.ndims is not None:
            if x.shape.ndims < min_rank:
                raise fail(f"Shape must be at least rank {min_rank} but is rank {x.shape.ndims}")
            if rank is not None and x.shape.ndims != rank:
                raise fail(f"Shape must be rank {rank} but is rank {x.shape.ndims}")
            rank = x.shape.ndims
    if rank is None:
        return TensorShape(None)
    ax = axis + rank if axis < 0 else axis
    before = after = None
    total: int | None = 0
    for x in reversed(xs):
        if x.shape.ndims is None:
            total = None
            continue
        dims = x.shape.as_list()
        b, f = TensorShape(dims[:ax]), TensorShape(dims[ax + 1:])
        before = b if before is None else _merge(b, before, fail)
        after = f if after is None else _merge(f, after, fail)
        total = None if total is None or dims[ax] is None else total + dims[ax]
    return TensorShape(before.as_list() + [total] + after.as_list())
