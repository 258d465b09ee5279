"""``tf.IndexedSlices``: rows of a (usually larger) dense tensor, as the gradients of
``tf.gather`` give them.

``dense[indices[i]] += values[i]`` for every i describes the dense tensor of shape
``dense_shape``; an index may repeat (its rows add up). Ops take an IndexedSlices as TF's
conversion function makes it dense: ``UnsortedSegmentSum(values, indices, dense_shape[0])``,
built where the consuming op converts its input (so named after that input). A session fetches
one as an `IndexedSlicesValue`.
"""

from __future__ import annotations

import collections
import warnings
from typing import Any

import numpy as np

from . import dtypes
from .tensor_shape import TensorShape

__all__ = ["IndexedSlices", "IndexedSlicesValue", "convert_to_tensor_or_indexed_slices"]

IndexedSlicesValue = collections.namedtuple("IndexedSlicesValue", ["values", "indices", "dense_shape"])

# TF warns when a conversion makes a dense tensor of at least this many elements.
_LARGE_SPARSE_NUM_ELEMENTS = 100000000


class IndexedSlices:
    """Slices ``values`` of a dense tensor of shape ``dense_shape`` at rows ``indices``."""

    def __init__(self, values: Any, indices: Any, dense_shape: Any = None) -> None:
        self._values = values
        self._indices = indices
        self._dense_shape = dense_shape

    values = property(lambda self: self._values, doc="The slices' values (a Tensor).")
    indices = property(lambda self: self._indices, doc="The slices' rows (a 1-D integer Tensor).")
    dense_shape = property(lambda self: self._dense_shape,
                           doc="The dense tensor's shape (a 1-D Tensor), or None.")
    name = property(lambda self: self._values.name, doc="The name of ``values``.")
    dtype = property(lambda self: self._values.dtype, doc="The type of ``values``.")
    op = property(lambda self: self._values.op, doc="The op that makes ``values``.")
    graph = property(lambda self: self._values.graph, doc="The graph of ``values``.")
    device = property(lambda self: self._values.device, doc="The device of ``values``.")

    @property
    def shape(self) -> TensorShape:
        """The dense tensor's static shape, as far as ``dense_shape`` is known while building."""
        if self._dense_shape is None:
            return TensorShape(None)
        from .array_ops import shape_from_tensor
        return shape_from_tensor(self._dense_shape)

    def consumers(self) -> list:
        """The ops that read any of the three tensors (TF's composite-tensor consumers)."""
        parts = [self._values, self._indices] + ([self._dense_shape] if self._dense_shape is not None else [])
        seen: dict[int, Any] = {}
        for part in parts:
            for op in part.consumers():
                seen.setdefault(id(op), op)
        return list(seen.values())

    def __neg__(self) -> "IndexedSlices":
        from .math_ops import negative
        return IndexedSlices(negative(self._values), self._indices, self._dense_shape)

    def __str__(self) -> str:
        shape = f", dense_shape={self._dense_shape}" if self._dense_shape is not None else ""
        return f"IndexedSlices(indices={self._indices}, values={self._values}{shape})"


def to_dense(value: IndexedSlices, dtype: Any = None, name: str | None = None) -> Any:
    """TF's conversion of an IndexedSlices to a Tensor: the rows summed into a tensor of
    ``dense_shape`` (an ``UnsortedSegmentSum`` named ``name``), after TF's checks."""
    from .constant_folding import constant_value
    from .segment_ops import unsorted_segment_sum

    if dtype is not None and not dtypes.as_dtype(dtype).is_compatible_with(value.dtype):
        raise ValueError(f"Incompatible tensor conversion requested to `dtype` {dtypes.as_dtype(dtype).name} "
                         f"for IndexedSlices ({value}) with dtype {value.dtype.name}")
    if value.dense_shape is None:
        raise ValueError("Tensor conversion requested for IndexedSlices for argument `value` "
                         f"without dense_shape: {value!s}")
    known = constant_value(value.dense_shape)
    if known is not None and int(np.prod(known)) >= _LARGE_SPARSE_NUM_ELEMENTS:
        warnings.warn(f"Converting sparse IndexedSlices to a dense Tensor with {int(np.prod(known))} "
                      "elements. This may consume a large amount of memory.")
    return unsorted_segment_sum(value.values, value.indices, value.dense_shape[0], name=name)


def convert_to_tensor_or_indexed_slices(value: Any, dtype: Any = None, name: str | None = None) -> Any:
    """``value`` itself when it is an IndexedSlices (of a compatible type), else a Tensor."""
    from .op_def import convert_to_tensor

    if isinstance(value, IndexedSlices):
        if dtype is not None and not dtypes.as_dtype(dtype).is_compatible_with(value.dtype):
            raise ValueError(f"Tensor conversion requested dtype {dtypes.as_dtype(dtype).name} for "
                             f"Tensor with dtype {value.dtype.name}: {value!r}")
        return value
    return convert_to_tensor(value, dtype=dtype, name=name)
