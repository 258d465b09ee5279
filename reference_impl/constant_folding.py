"""What TF's shape refiner can compute of a tensor while building a graph.

When a shape function asks for the value of an input (a shape, paddings, slicing indices), TF
does not stop at constants: it evaluates the input's constant subgraph with the CPU kernels —
a Pack of constants, ``tf.shape(x) - begin``, a Fill of a static shape. `evaluate` does the
same with the reference's CPU kernels, for the pure ops such index arithmetic is made of. Only
tensors known to be small are computed (the values shape functions read are a handful of
integers), and those of shapes unknown while building, as TF computes a ListDiff's on the way
to a Prod, whose value is then kept only if small.
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
    "GatherV2", "DynamicStitch", "BroadcastTo", "ListDiff", "Cumsum", "Cumprod",
    "BroadcastGradientArgs", "Split", "SplitV",
    "DynamicPartition", "ParallelDynamicStitch",
})


def evaluate(t: Tensor) -> np.ndarray | None:
    """The value of ``t`` if it is known while building, else None."""
    op = t.op
    if op.type == "Const":
        return np.asarray(op.get_attr("value"))
    if op.type in ("Shape", "Size", "Rank"):
        np_type = t.dtype.base_dtype.as_numpy_dtype
        static = _from_static_shape(op.type, op.inputs[0], np_type)
        if static is not None:
            return static
        # (a shape known only from the input's value, itself computed: a DynamicPartition's)
        value = evaluate(op.inputs[0])
        if value is None:
            return None
        dims = np.shape(value)
        return np.asarray({"Shape": dims, "Size": int(np.prod(dims, dtype=np.int64)),
                           "Rank": len(dims)}[op.type], dtype=np_type)
    if op.type not in _FOLDABLE or _large(t):
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
    value = np.asarray(outputs[t.value_index])
    return value if value.size <= MAX_ELEMENTS else None


def constant_value(t: Tensor) -> np.ndarray | None:
    """What TF's Python ``tensor_util.constant_value`` finds of ``t``, a narrower question than
    `evaluate`'s (gradients pass what it finds as constants): a Const; a Shape, Size or Rank of a
    static shape; a Fill of a static shape; a Pack, ConcatV2, Unpack, Cast, Range, Equal,
    NotEqual, Identity or StopGradient of such."""
    op = t.op
    if op.type == "Const":
        return np.asarray(op.get_attr("value"))
    np_type = t.dtype.base_dtype.as_numpy_dtype
    if op.type in ("Shape", "Size", "Rank"):
        return _from_static_shape(op.type, op.inputs[0], np_type)
    if op.type == "Fill":
        value = constant_value(op.inputs[1])
        if not t.shape.is_fully_defined() or value is None:
            return None
        return np.full(t.shape.as_list(), value, value.dtype)
    if op.type not in _PYTHON_FOLDABLE or op.type in ("Pack", "Unpack") and op.get_attr("axis") != 0:
        return None  # (TF's handles only Packs and Unpacks along axis 0)
    parts = [constant_value(i) for i in op.inputs]
    if any(p is None for p in parts):
        return None
    if op.type == "Pack":
        return np.array(parts)
    if op.type == "ConcatV2":
        return np.concatenate(parts[:-1], axis=int(parts[-1]))
    if op.type == "Unpack":
        return parts[0][t.value_index]
    if op.type == "Range":
        return np.arange(*(p.item() for p in parts)).astype(np_type)
    if op.type in ("Equal", "NotEqual"):
        same = np.equal(parts[0], parts[1])
        return same if op.type == "Equal" else ~same
    return np.asarray(parts[0]).astype(np_type)


# Ops tensor_util.constant_value computes from its inputs' constant values
_PYTHON_FOLDABLE = frozenset({"Pack", "ConcatV2", "Unpack", "Cast", "Range", "Equal", "NotEqual",
                              "Identity", "StopGradient"})


def _from_static_shape(op_type: str, x: Tensor, np_type: type) -> np.ndarray | None:
    shape = x.shape
    if op_type == "Rank":
        return None if shape.ndims is None else np.asarray(shape.ndims, np_type)
    if not shape.is_fully_defined():
        return None
    dims = shape.as_list()
    return np.asarray(dims if op_type == "Shape" else math.prod(dims), np_type)


def _large(t: Tensor) -> bool:
    """Whether ``t`` is known to be too large to compute while building (a tensor of unknown
    shape is computed, as TF computes a ListDiff's, and its value then checked)."""
    shape = t.shape
    return shape.is_fully_defined() and math.prod(shape.as_list()) > MAX_ELEMENTS
