"""``tf.dynamic_stitch`` (``DynamicStitch``): interleave the rows of several tensors by index.

``merged[indices[m][i...]] = data[m][i...]``, a later (m, i) winning a repeated index. Built as
TF's generated wrapper builds it: two lists of the same length, the indices converted to int32
as ``indices_<i>`` and the data to one type as ``data_<i>``. The static shape is TF's: each
``data[m]``'s shape must begin with ``indices[m]``'s and end with the same trailing dimensions;
the first dimension is the largest index plus one when every index is known while building.
"""

from __future__ import annotations

from typing import Any, Sequence

import numpy as np

from . import dtypes
from .array_ops import _merge_problem
from .constant_folding import evaluate
from .graph import Tensor
from .op_def import convert_list_input, convert_to_tensor, graph_of, list_types, make_op
from .op_errors import shape_error
from .shape_inference import dt_enum
from .tensor_shape import TensorShape

__all__ = ["dynamic_stitch"]


def _check_lists(indices: Any, data: Any) -> None:
    for arg, value in (("indices", indices), ("data", data)):
        if not isinstance(value, (list, tuple)):
            raise TypeError(f"Expected list for '{arg}' argument to 'dynamic_stitch' Op, not "
                            f"{value!r}.")
    if len(data) != len(indices):
        raise ValueError(f"List argument 'data' to 'dynamic_stitch' Op with length {len(data)} "
                         f"must match length {len(indices)} of argument 'indices'.")


def _int32_list(values: Sequence[Any]) -> list[Tensor]:
    """The indices: each converted to int32 (``indices_<i>``), TF's TypeError otherwise."""
    try:
        xs = [convert_to_tensor(v, dtype=dtypes.int32, name=f"indices_{i}") for i, v in enumerate(values)]
        if all(x.dtype.base_dtype == dtypes.int32 for x in xs):
            return xs
    except (TypeError, ValueError):
        pass
    raise TypeError(f"Tensors in list passed to 'indices' of 'DynamicStitch' Op have types "
                    f"[{list_types(values)}] that do not match expected type int32.")


def stitch_shape(indices: list[Tensor], data: list[Tensor], fail: Any) -> TensorShape:
    """DynamicStitch's shape function; ``fail(message)`` builds its error."""
    extra = TensorShape(None)
    largest, all_known = -1, True
    for i, d in zip(indices, data):
        value = evaluate(i)
        all_known = all_known and value is not None
        if i.shape.ndims is None:
            continue
        prefix = i.shape.as_list()
        if d.shape.ndims is not None:
            if d.shape.ndims < len(prefix):
                raise fail(f"Shape must be at least rank {len(prefix)} but is rank {d.shape.ndims}")
            for a, b in zip(d.shape.as_list(), prefix):
                if a is not None and b is not None and a != b:
                    raise fail(f"Dimensions must be equal, but are {a} and {b}")
        rest = TensorShape(None if d.shape.ndims is None else d.shape.as_list()[len(prefix):])
        problem = _merge_problem(extra, rest)
        if problem:
            raise fail(problem)
        extra = extra.merge_with(rest)
        if value is not None and value.size:
            largest = max(largest, int(np.max(value)))
    first = TensorShape([largest + 1 if all_known else None])
    return TensorShape(None) if extra.ndims is None else first.concatenate(extra)


def dynamic_stitch(indices: Sequence[Any], data: Sequence[Any], name: str | None = None) -> Tensor:
    """One tensor whose rows ``indices[m][i...]`` are ``data[m][i...]`` (later ones win)."""
    _check_lists(indices, data)
    g = graph_of(list(indices) + list(data))
    with g.as_default(), g.name_scope(name or "DynamicStitch") as scope:
        if not indices:  # (op_def_library's check, inside the op's scope: the name is taken)
            raise ValueError("List argument 'indices' to 'DynamicStitch' Op with length 0 shorter "
                             "than minimum length 1.")
        ix = _int32_list(indices)
        xs = convert_list_input(data, "DynamicStitch", "data")
        dt = xs[0].dtype.base_dtype
        inputs = ix + xs
        attrs = f"N={len(ix)}, T={dt_enum(dt)}"
        shape = stitch_shape(ix, xs, lambda message: shape_error(
            message, scope[:-1], "DynamicStitch", attrs, inputs))
        return make_op("DynamicStitch", inputs, [(dt, shape)], scope,
                       {"N": len(ix), "T": dt}).outputs[0]
