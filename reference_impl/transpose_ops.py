"""``tf.transpose`` and ``tf.invert_permutation`` (TF1), with TF's names, shape inference and
shape-function errors.

``transpose(a)`` without ``perm`` reverses the dimensions: a constant ``perm`` where the rank is
known, else TF's ``Range(Rank(a) - 1, -1, -1)``. A ``perm`` known while building gives the output
shape, a negative entry counting from the end; duplicates pass shape inference (the kernel
refuses them: kernels/cpu/array.py).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from . import dtypes
from .constant_folding import evaluate
from .graph import Tensor
from .op_def import convert_to_tensor, convert_type_attr_input, graph_of, make_op
from .op_errors import shape_error
from .shape_inference import dt_enum
from .tensor_shape import TensorShape

__all__ = ["invert_permutation", "transpose"]


def _reversed_dims(x: Tensor) -> Any:
    """[rank - 1, ..., 0]: a constant where the rank is known, else TF's graph (in the current
    scope) ``Range(Rank(x) - 1, -1, -1)``."""
    rank = x.shape.ndims
    if rank is not None:
        return np.arange(rank - 1, -1, -1, dtype=np.int32)
    g = x.graph
    with g.name_scope("Rank") as scope:
        rank_t = make_op("Rank", [x], [(dtypes.int32, TensorShape([]))], scope,
                         {"T": x.dtype.base_dtype}).outputs[0]
    last = rank_t - 1
    with g.name_scope("Range") as scope:
        limit = convert_to_tensor(-1, name="limit")
        delta = convert_to_tensor(-1, name="delta")
        return make_op("Range", [last, limit, delta], [(dtypes.int32, TensorShape([None]))], scope,
                       {"Tidx": dtypes.int32}).outputs[0]


def _output_shape(x: Tensor, perm: Tensor, fail: Any) -> TensorShape:
    if perm.shape.ndims is not None and perm.shape.ndims != 1:
        raise fail(f"Shape must be rank 1 but is rank {perm.shape.ndims}")
    rank, size = x.shape.ndims, (perm.shape.as_list()[0] if perm.shape.ndims == 1 else None)
    if rank is not None and size is not None and rank != size:
        raise fail(f"Dimension must be {rank} but is {size}")
    out_rank = rank if rank is not None else size
    if out_rank is None:
        return TensorShape(None)
    value = evaluate(perm)
    if value is None or rank is None:
        return TensorShape([None] * out_rank)
    dims = x.shape.as_list()
    out = []
    for d in np.asarray(value).reshape(-1).tolist():
        k = d + rank if d < 0 else d
        if not 0 <= k < rank:
            raise fail(f"perm dim {d} is out of range of input rank {rank}", {1: np.asarray(value)})
        out.append(dims[k])
    return TensorShape(out)


def transpose(a: Any, perm: Any = None, name: str = "transpose", conjugate: bool = False) -> Tensor:
    """``a`` with its dimensions permuted by ``perm`` (reversed by default)."""
    g = graph_of([a])
    with g.as_default(), g.name_scope(name or "transpose") as scope:
        x = a if isinstance(a, Tensor) else convert_to_tensor(a, name="a")
        if conjugate and x.dtype.base_dtype.is_complex:
            raise NotImplementedError("conjugate transposes of complex tensors (ConjugateTranspose)")
        p = convert_type_attr_input(_reversed_dims(x) if perm is None else perm, "perm",
                                    (dtypes.int32, dtypes.int64), dtypes.int32)
        dt, tperm = x.dtype.base_dtype, p.dtype.base_dtype
        attrs = f"T={dt_enum(dt)}, Tperm={dt_enum(tperm)}"
        shape = _output_shape(x, p, lambda message, computed=None: shape_error(
            message, scope[:-1], "Transpose", attrs, [x, p], computed))
        return make_op("Transpose", [x, p], [(dt, shape)], scope, {"T": dt, "Tperm": tperm}).outputs[0]


def invert_permutation(x: Any, name: str | None = None) -> Tensor:
    """The inverse of the permutation ``x`` (``InvertPermutation``)."""
    g = graph_of([x])
    with g.as_default(), g.name_scope(name or "InvertPermutation") as scope:
        p = convert_type_attr_input(x, "x", (dtypes.int32, dtypes.int64), dtypes.int32)
        dt = p.dtype.base_dtype
        if p.shape.ndims is not None and p.shape.ndims != 1:
            raise shape_error(f"Shape must be rank 1 but is rank {p.shape.ndims}", scope[:-1],
                              "InvertPermutation", f"T={dt_enum(dt)}", [p])
        return make_op("InvertPermutation", [p], [(dt, p.shape)], scope, {"T": dt}).outputs[0]
