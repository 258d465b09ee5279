"""``tf.cumsum`` and ``tf.cumprod`` (``Cumsum`` / ``Cumprod``): running sums and products along
an axis, optionally exclusive (each element left out of its own result) or reversed.

The shape is the input's; an axis out of range, or not a scalar, fails only when run (TF's shape
function does not look at it).
"""

from __future__ import annotations

from typing import Any

from . import dtypes
from .graph import Tensor
from .op_def import convert_to_tensor, convert_type_attr_input, graph_of, make_op

__all__ = ["cumsum", "cumprod"]

# Cumsum's and Cumprod's "T" (TF's number types), in the order TF lists them when refusing one
_ALLOWED = ("float32, float64, int32, uint8, int16, int8, complex64, int64, qint8, quint8, qint32, "
            "bfloat16, qint16, quint16, uint16, complex128, float16, uint32, uint64")


def _scan(op_type: str, x: Any, axis: Any, exclusive: bool, reverse: bool, name: str | None) -> Tensor:
    g = graph_of([x, axis])
    with g.as_default(), g.name_scope(name or op_type) as scope:
        t = convert_to_tensor(x, name="x")
        dt = t.dtype.base_dtype
        if dt.name not in _ALLOWED.split(", "):
            raise TypeError(f"Value passed to parameter 'x' has DataType {dt.name} not in list of "
                            f"allowed values: {_ALLOWED}")
        a = convert_type_attr_input(axis, "axis", (dtypes.int32, dtypes.int64), dtypes.int32)
        return make_op(op_type, [t, a], [(dt, t.shape)], scope,
                       {"T": dt, "Tidx": a.dtype.base_dtype, "exclusive": bool(exclusive),
                        "reverse": bool(reverse)}).outputs[0]


def cumsum(x: Any, axis: Any = 0, exclusive: bool = False, reverse: bool = False,
           name: str | None = None) -> Tensor:
    """The running sum of ``x`` along ``axis``."""
    return _scan("Cumsum", x, axis, exclusive, reverse, name)


def cumprod(x: Any, axis: Any = 0, exclusive: bool = False, reverse: bool = False,
            name: str | None = None) -> Tensor:
    """The running product of ``x`` along ``axis``."""
    return _scan("Cumprod", x, axis, exclusive, reverse, name)
