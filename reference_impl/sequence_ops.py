"""``tf.range``: a ``Range`` op over ``start`` / ``limit`` / ``delta`` Consts, with TF's dtype
inference (the widest of the three in int32 < int64 < float16 < bfloat16 < float32 < float64),
its casts, its static length and its shape-function errors for arguments known while building."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from . import dtypes
from .constant_folding import evaluate
from .graph import Tensor
from .math_ops import cast
from .op_def import convert_to_tensor, graph_of, make_op
from .op_errors import shape_error
from .shape_inference import dt_enum
from .tensor_shape import TensorShape

_HIERARCHY = ("int32", "int64", "float16", "bfloat16", "float32", "float64")


def range_(start: Any, limit: Any = None, delta: Any = 1, dtype: Any = None,
           name: str = "range") -> Tensor:
    """``tf.range(start, limit, delta)`` / ``tf.range(limit)``: like ``np.arange``."""
    if limit is None:
        start, limit = 0, start
    dt = dtypes.as_dtype(dtype) if dtype is not None else None
    g = graph_of([start, limit, delta])
    with g.as_default(), g.name_scope(name or "Range") as scope:
        args = []
        for value, arg in ((start, "start"), (limit, "limit"), (delta, "delta")):
            args.append(value if isinstance(value, Tensor)
                        else convert_to_tensor(value, dtype=dt, name=arg))
        if dt is None:
            dt = max((a.dtype.base_dtype for a in args), key=lambda d: _HIERARCHY.index(d.name))
        start_t, limit_t, delta_t = (cast(a, dt) for a in args)
        inputs = [start_t, limit_t, delta_t]
        length = _static_length(scope[:-1], inputs, dt)
        return make_op("Range", inputs, [(dt, TensorShape([length]))], scope,
                       {"Tidx": dt}).outputs[0]


def _static_length(node: str, inputs: list[Tensor], dt: dtypes.DType) -> int | None:
    """The output length when the three inputs are known while building (TF's shape function)."""
    values = [evaluate(t) for t in inputs]
    if any(v is None for v in values):
        return None
    start, limit, delta = (np.asarray(v).item() for v in values)
    computed = {i: np.asarray(v) for i, v in enumerate(values)}

    def fail(message: str) -> ValueError:
        return shape_error(message, node, "Range", f"Tidx={dt_enum(dt)}", inputs, computed)
    if delta == 0:
        raise fail("Requires delta != 0")
    if delta > 0 and start > limit:
        raise fail(f"Requires start <= limit when delta > 0: {start}/{limit}")
    if delta < 0 and start < limit:
        raise fail(f"Requires start >= limit when delta < 0: {start}/{limit}")
    if dt.is_integer:
        return (abs(limit - start) + abs(delta) - 1) // abs(delta)
    return int(math.ceil(abs((limit - start) / delta)))


__all__ = ["range_"]
