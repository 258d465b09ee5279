"""``tf.unique`` (the ``Unique`` op): the distinct values of a vector in the order they first
occur, and for every element the position of its value among them.

TF's shape function gives ``y`` a length known only when run and ``idx`` the shape of ``x``,
and refuses an ``x`` that is not a vector. Which values count as equal is the kernels' business
(kernels/cpu/unique.py, kernels/cuda/unique.py): the two devices differ for float16's signed
zeros.
"""

from __future__ import annotations

from collections import namedtuple
from typing import Any

from . import dtypes
from .graph import Tensor
from .op_def import convert_to_tensor, graph_of, make_op
from .op_errors import shape_error
from .shape_inference import dt_enum
from .tensor_shape import TensorShape

__all__ = ["unique"]

# TF returns its generated wrapper's namedtuple (a session run gives one back, values inside)
Unique = namedtuple("Unique", ["y", "idx"])

_INDEX_TYPES = (dtypes.int32, dtypes.int64)


def unique(x: Any, out_idx: Any = dtypes.int32, name: str | None = None) -> Unique:
    """``(y, idx)``: the distinct values of the 1-D ``x`` in order of first occurrence, and
    ``idx`` (of type ``out_idx``) with ``x[i] == y[idx[i]]``."""
    g = graph_of([x])
    with g.as_default(), g.name_scope(name or "Unique") as scope:
        t = x if isinstance(x, Tensor) else convert_to_tensor(x, name="x")
        dt = t.dtype.base_dtype
        # (the op builder converts the input before it checks the attr: a refused out_idx
        # leaves Unique/x behind)
        idx_dt = dtypes.as_dtype(out_idx).base_dtype
        if idx_dt not in _INDEX_TYPES:
            raise TypeError(f"Value passed to parameter 'out_idx' has DataType {idx_dt.name} not "
                            "in list of allowed values: int32, int64")
        if t.shape.ndims is not None and t.shape.ndims != 1:
            raise shape_error(f"Shape must be rank 1 but is rank {t.shape.ndims}", scope[:-1],
                              "Unique", f"T={dt_enum(dt)}, out_idx={dt_enum(idx_dt)}", [t])
        op = make_op("Unique", [t], [(dt, TensorShape([None])), (idx_dt, t.shape)], scope,
                     {"T": dt, "out_idx": idx_dt})
        return Unique(*op.outputs)
