"""``tf.math.unsorted_segment_sum`` (``UnsortedSegmentSum``) with TF's names, shape function
and errors. It is also how an `IndexedSlices` becomes a dense tensor (indexed_slices.py).

The output is ``[num_segments] + data.shape[rank(segment_ids):]``: ``segment_ids``' shape must
be a prefix of ``data``'s (dimension by dimension, in order); a ``num_segments`` known while
building gives the first dimension, a negative one is refused then. Row ``i`` of ``data`` is
added to row ``segment_ids[i]`` in index order (TF's CPU kernel; the order is part of a float
result); a negative id drops its row.
"""

from __future__ import annotations

from typing import Any

from . import dtypes
from .constant_folding import evaluate
from .graph import Tensor
from .op_def import convert_to_tensor, convert_type_attr_input, graph_of, make_op
from .op_errors import shape_error
from .reduction_ops import _NUMBER_TYPES
from .shape_inference import dt_enum
from .tensor_shape import TensorShape

__all__ = ["unsorted_segment_sum"]

_ID_TYPES = (dtypes.int16, dtypes.int32, dtypes.int64)
_COUNT_TYPES = (dtypes.int32, dtypes.int64)


def check_prefix(data: TensorShape, ids: TensorShape, fail: Any) -> None:
    """The first part of UnsortedSegmentSum's shape function: ``ids``' shape a prefix of
    ``data``'s (read before ``num_segments``, so its errors show no computed input)."""
    if ids.ndims is None or data.ndims is None:
        return
    if data.ndims < ids.ndims:
        raise fail(f"Shape must be at least rank {ids.ndims} but is rank {data.ndims}")
    for d, s in zip(data.as_list(), ids.as_list()):
        if d is not None and s is not None and d != s:
            raise fail(f"Dimensions must be equal, but are {d} and {s}")


def segment_sum_shape(data: TensorShape, ids: TensorShape, rows: int | None, fail: Any) -> TensorShape:
    """The output shape, ``rows`` being ``num_segments`` when known (a negative one refused)."""
    if rows is not None and rows < 0:
        raise fail(f"Dimension size, given by scalar input 2, must be non-negative but is {rows}")
    if ids.ndims is None or data.ndims is None:
        return TensorShape(None)
    return TensorShape([rows] + data.as_list()[ids.ndims:])


def unsorted_segment_sum(data: Any, segment_ids: Any, num_segments: Any, name: str | None = None) -> Tensor:
    """The sums of ``data``'s rows grouped by ``segment_ids``, ``num_segments`` of them."""
    g = graph_of([data, segment_ids, num_segments])
    with g.as_default(), g.name_scope(name or "UnsortedSegmentSum") as scope:
        x = data if isinstance(data, Tensor) else convert_to_tensor(data, name="data")
        dt = x.dtype.base_dtype
        if dt.name not in _NUMBER_TYPES.split(", "):
            raise TypeError(f"Value passed to parameter 'data' has DataType {dt.name} not in list "
                            f"of allowed values: {_NUMBER_TYPES}")
        ids = convert_type_attr_input(segment_ids, "segment_ids", _ID_TYPES, None)
        n = convert_type_attr_input(num_segments, "num_segments", _COUNT_TYPES, dtypes.int32)
        inputs = [x, ids, n]
        attrs = f"T={dt_enum(dt)}, Tindices={dt_enum(ids.dtype)}, Tnumsegments={dt_enum(n.dtype)}"
        computed: dict = {}

        def fail(message: str) -> ValueError:
            return shape_error(message, scope[:-1], "UnsortedSegmentSum", attrs, inputs, computed)

        if n.shape.ndims is not None and n.shape.ndims != 0:
            raise fail(f"Shape must be rank 0 but is rank {n.shape.ndims}")
        check_prefix(x.shape, ids.shape, fail)
        known = evaluate(n)
        if known is not None:
            computed[2] = known
        rows = None if known is None else int(known)
        shape = segment_sum_shape(x.shape, ids.shape, rows, fail)
        return make_op("UnsortedSegmentSum", inputs, [(dt, shape)], scope,
                       {"T": dt, "Tindices": ids.dtype.base_dtype,
                        "Tnumsegments": n.dtype.base_dtype}).outputs[0]
