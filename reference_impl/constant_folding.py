"""What TF's shape refiner can compute of a tensor while building a graph.

When a shape function asks for the value of an input (a shape, paddings, slicing indices), TF
does not stop at constants: it evaluates the input's constant subgraph with the CPU kernels —
a Pack of constants, ``tf.shape(x) - begin``, a Fill of a static shape. `evaluate` does the
same with the reference's CPU kernels, for the pure ops such index arithmetic is made of. Only
small tensors are computed (the values shape functions read are a handful of integers), so
building never runs a large computation.
"""

from __future__ import annotations

import math

import numpy as np

from .graph import Tensor

MAX_ELEMENTS = 1024

# Pure ops computed from their inputs' values (TF's refiner runs any stateless op; these are
# the ones index and shape arithmetic uses).
_FOLDABLE = frozenset({
    "Identity", "Pack", "Cast", "Fill", "AddV2", "Add", "Sub", "Mul", "Neg", "Maximum",
    "Minimum", "FloorDiv", "FloorMod", "Reshape", "ConcatV2", "ExpandDims", "Range",
    "StridedSlice", "Slice", "Squeeze", "InvertPermutation", "Transpose", "Less", "LessEqual",
    "Greater", "GreaterEqual", "Equal", "NotEqual", "Select", "SelectV2", "LogicalAnd",
    "LogicalOr", "LogicalNot", "Abs", "Sign", "Unpack", "Prod", "Sum", "Max", "Min",
})


def evaluate(t: Tensor) -> np.ndarray | None:
    """The value of ``t`` if it is known while building, else None."""
    op = t.op
    if op.type == "Const":
        return np.asarray(op.get_attr("value"))
    if op.type in ("Shape", "Size", "Rank"):
        return _from_static_shape(op.type, op.inputs[0], t.dtype.base_dtype.as_numpy_dtype)
    if op.type not in _FOLDABLE or not _small(t):
        return None
    parts = []
    for i in op.inputs:
        value = evaluate(i)
        if value is None:
            return None
        parts.append(value)
    from .kernels.registry import CPU, KernelContext, lookup_kernel

    kernel = lookup_kernel(op.type, CPU)
    if kernel is None:
        return None
    try:
        outputs = kernel(KernelContext(op.name, op.type, op._attrs), parts)
    except Exception:  # noqa: BLE001 - what fails when run is for the session to report
        return None
    return np.asarray(outputs[t.value_index])


def constant_value(t: Tensor) -> np.ndarray | None:
    """What TF's Python ``tensor_util.constant_value`` finds of ``t``, a narrower question than
    `evaluate`'s (gradients pass what it finds as constants): a Const, or a Pack, Cast,
    Identity, Fill or Range of such."""
    op = t.op
    if op.type == "Const":
        return np.asarray(op.get_attr("value"))
    if op.type not in ("Pack", "Cast", "Identity", "Fill", "Range"):
        return None
    parts = [constant_value(i) for i in op.inputs]
    if any(p is None for p in parts):
        return None
    np_type = t.dtype.base_dtype.as_numpy_dtype
    if op.type == "Pack":
        return np.stack(parts, axis=op.get_attr("axis")).astype(np_type)
    if op.type == "Fill":
        return np.full([int(d) for d in np.ravel(parts[0])], parts[1], np_type)
    if op.type == "Range":
        return np.arange(*(p.item() for p in parts)).astype(np_type)
    return np.asarray(parts[0]).astype(np_type)


def _from_static_shape(op_type: str, x: Tensor, np_type: type) -> np.ndarray | None:
    shape = x.shape
    if op_type == "Rank":
        return None if shape.ndims is None else np.asarray(shape.ndims, np_type)
    if not shape.is_fully_defined():
        return None
    dims = shape.as_list()
    return np.asarray(dims if op_type == "Shape" else math.prod(dims), np_type)


def _small(t: Tensor) -> bool:
    shape = t.shape
    return shape.is_fully_defined() and math.prod(shape.as_list()) <= MAX_ELEMENTS
