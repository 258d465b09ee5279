"""``tf.setdiff1d`` (``ListDiff``): the values of a vector absent from another, and where they
were. TF computes it on the CPU only (there is no GPU kernel); both outputs have a length known
only when run."""

from __future__ import annotations

from collections import namedtuple
from typing import Any

from . import dtypes
from .graph import Tensor
from .math_ops import _check_same, _convert_operand
from .op_def import convert_to_tensor, graph_of, make_op
from .op_errors import shape_error
from .shape_inference import dt_enum
from .tensor_shape import TensorShape

__all__ = ["setdiff1d"]

# TF returns its generated wrapper's namedtuple (a session run gives one back, values inside)
ListDiff = namedtuple("ListDiff", ["out", "idx"])


def setdiff1d(x: Any, y: Any, index_dtype: Any = dtypes.int32, name: str | None = None) -> ListDiff:
    """``(out, idx)``: the elements of ``x`` not in ``y``, in ``x``'s order, and their indices."""
    idx_dt = dtypes.as_dtype(index_dtype).base_dtype
    if idx_dt not in (dtypes.int32, dtypes.int64):
        raise TypeError(f"Value passed to parameter 'out_idx' has DataType {idx_dt.name} not in "
                        f"list of allowed values: int32, int64")
    g = graph_of([x, y])
    with g.as_default(), g.name_scope(name or "ListDiff") as scope:
        a = x if isinstance(x, Tensor) else convert_to_tensor(x, name="x")
        dt = a.dtype.base_dtype
        b = _convert_operand(y, dt, "y", "ListDiff")
        _check_same("ListDiff", a, b)
        for t in (a, b):
            if t.shape.ndims is not None and t.shape.ndims != 1:
                raise shape_error(f"Shape must be rank 1 but is rank {t.shape.ndims}", scope[:-1],
                                  "ListDiff", f"T={dt_enum(dt)}, out_idx={dt_enum(idx_dt)}", [a, b])
        vector = TensorShape([None])
        op = make_op("ListDiff", [a, b], [(dt, vector), (idx_dt, vector)], scope,
                     {"T": dt, "out_idx": idx_dt})
        return ListDiff(*op.outputs)
