"""Reductions (``reduce_sum`` / ``mean`` / ``max`` / ``min`` / ``prod`` / ``any`` / ``all``) and
``argmax`` / ``argmin``, with TF's argument handling, static shapes and shape-function errors.

``axis=None`` reduces every axis: for a known rank >= 1 TF adds a ``Const`` of ``range(rank)``
(named ``Const`` in the caller's scope) as the reduction indices; for rank 0 or an unknown rank
``range(0, rank(x))`` (``Rank`` — a Const when the rank is known —, ``range/start``,
``range/delta``, ``range``).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from . import dtypes
from .array_ops import rank as rank_
from .constant_folding import evaluate
from .graph import Tensor
from .op_def import constant, convert_to_tensor, convert_type_attr_input, graph_of, make_op
from .op_errors import shape_error
from .sequence_ops import range_
from .shape_inference import dt_enum
from .tensor_shape import TensorShape

__all__ = ["reduce_sum", "reduce_mean", "reduce_max", "reduce_min", "reduce_prod", "reduce_any",
           "reduce_all", "argmax", "argmin"]


# The types each op's "T" attr allows, in the order TF lists them when refusing one.
_NUMBER_TYPES = ("float32, float64, int32, uint8, int16, int8, complex64, int64, qint8, quint8, "
                 "qint32, bfloat16, qint16, quint16, uint16, complex128, float16, uint32, uint64")
_REAL_NUMBER_TYPES = ("float32, float64, int32, uint8, int16, int8, int64, bfloat16, uint16, "
                      "float16, uint32, uint64, qint8, quint8, qint32, qint16, quint16")
_ALLOWED = {"Sum": _NUMBER_TYPES, "Mean": _NUMBER_TYPES, "Prod": _NUMBER_TYPES,
            "Max": _REAL_NUMBER_TYPES, "Min": _REAL_NUMBER_TYPES,
            "ArgMax": _REAL_NUMBER_TYPES + ", bool", "ArgMin": _REAL_NUMBER_TYPES + ", bool"}


def _check_type(op_type: str, dt: dtypes.DType) -> None:
    """TF's op-builder check of the input's dtype against the op's allowed list."""
    allowed = _ALLOWED.get(op_type)
    if allowed is not None and dt.name not in allowed.split(", "):
        raise TypeError(f"Value passed to parameter 'input' has DataType {dt.name} not in list "
                        f"of allowed values: {allowed}")


def _keepdims(keepdims: Any, keep_dims: Any, kwargs: dict) -> bool:
    for key in kwargs:
        raise TypeError(f"Got an unexpected keyword argument '{key}'")
    if keepdims is not None and keep_dims is not None:
        raise ValueError("Cannot specify both 'keep_dims' and 'keepdims'.")
    value = keepdims if keepdims is not None else keep_dims
    return bool(value) if value is not None else False


def _reduce(op_type: str, input_tensor: Any, axis: Any, keepdims: bool, name: str | None,
            bool_only: bool = False) -> Tensor:
    g = graph_of([input_tensor, axis])
    with g.as_default():
        # A tensor of another type reaches the op builder, which refuses it (below).
        x = convert_to_tensor(input_tensor, dtype=dtypes.bool if bool_only and not hasattr(
            input_tensor, "dtype") else None)
        all_axes = axis is None
        if all_axes:
            rank = x.shape.ndims
            if rank:
                axis = constant(np.arange(rank, dtype=np.int32), dtypes.int32)
            else:
                # TF's _ReductionDims: `if x_rank:`, so a scalar builds range(0, rank(x)) too
                # (rank(x) is a Const named Rank when the rank is known).
                axis = range_(0, rank_(x))
        with g.name_scope(name or op_type) as scope:
            dt = x.dtype.base_dtype
            _check_type(op_type, dt)
            a = convert_type_attr_input(axis, "reduction_indices", (dtypes.int32, dtypes.int64),
                                        dtypes.int32)
            if bool_only and dt != dtypes.bool:
                raise TypeError(f"Input 'input' of '{op_type}' Op has type {dt.name} that does "
                                "not match expected type of bool.")
            attrs = f"T={dt_enum(dt)}, Tidx={dt_enum(a.dtype)}, keep_dims={str(keepdims).lower()}"
            if bool_only:
                attrs = f"Tidx={dt_enum(a.dtype)}, keep_dims={str(keepdims).lower()}"
            out = _output_shape(x, a, keepdims, scope[:-1], op_type, attrs)
            if all_axes and not keepdims:
                out = TensorShape([])
            op_attrs = {"Tidx": a.dtype.base_dtype, "keep_dims": keepdims}
            if not bool_only:
                op_attrs["T"] = dt
            return make_op(op_type, [x, a], [(dt, out)], scope, op_attrs).outputs[0]


def _output_shape(x: Tensor, a: Tensor, keepdims: bool, name: str, op_type: str,
                   attrs: str) -> TensorShape:
    value = evaluate(a)
    rank = x.shape.ndims
    if a.shape.ndims is not None and a.shape.ndims > 1:
        raise shape_error(f"Shape must be at most rank 1 but is rank {a.shape.ndims}", name,
                          op_type, attrs, [x, a])
    if value is None:
        if keepdims and rank is not None:
            return TensorShape([None] * rank)
        return TensorShape(None)
    if rank is None:
        return TensorShape(None)
    axes = [int(v) for v in np.ravel(value)]
    for ax in axes:
        if ax < -rank or ax >= rank:
            raise shape_error(f"Invalid reduction dimension {ax} for input with {rank} dimensions.",
                              name, op_type, attrs, [x, a], {1: value})
    reduced = {ax % rank for ax in axes}
    dims = x.shape.as_list()
    if keepdims:
        return TensorShape([1 if i in reduced else d for i, d in enumerate(dims)])
    return TensorShape([d for i, d in enumerate(dims) if i not in reduced])


def _api(op_type: str, doc: str, bool_only: bool = False):  # type: ignore[no-untyped-def]
    def reduce(input_tensor: Any, axis: Any = None, keepdims: Any = None, name: str | None = None,
               reduction_indices: Any = None, keep_dims: Any = None, **kwargs: Any) -> Tensor:
        keep = _keepdims(keepdims, keep_dims, kwargs)
        if axis is not None and reduction_indices is not None:
            raise ValueError("Cannot specify both 'axis' and 'reduction_indices'.")
        axis = axis if axis is not None else reduction_indices
        return _reduce(op_type, input_tensor, axis, keep, name, bool_only)
    reduce.__doc__ = doc
    return reduce


reduce_sum = _api("Sum", "The sum over ``axis`` (every axis when None).")
reduce_mean = _api("Mean", "The mean over ``axis``; integers divide with truncation.")
reduce_max = _api("Max", "The maximum over ``axis``.")
reduce_min = _api("Min", "The minimum over ``axis``.")
reduce_prod = _api("Prod", "The product over ``axis``.")
reduce_any = _api("Any", "Logical or over ``axis``.", bool_only=True)
reduce_all = _api("All", "Logical and over ``axis``.", bool_only=True)


def _arg(op_type: str, input: Any, axis: Any, name: str | None, dimension: Any,
         output_type: Any) -> Tensor:
    if axis is not None and dimension is not None:
        raise ValueError("Cannot specify both 'axis' and 'dimension'.")
    axis = axis if axis is not None else dimension
    axis = 0 if axis is None else axis
    out_dt = dtypes.as_dtype(output_type)
    g = graph_of([input, axis])
    with g.as_default(), g.name_scope(name or op_type) as scope:
        x = convert_to_tensor(input, name="input")
        _check_type(op_type, x.dtype.base_dtype)  # before "dimension" is converted, as TF
        a = axis if isinstance(axis, Tensor) else convert_to_tensor(axis, dtype=dtypes.int32,
                                                                   name="dimension")
        dt = x.dtype.base_dtype
        attrs = f"T={dt_enum(dt)}, Tidx={dt_enum(a.dtype)}, output_type={dt_enum(out_dt)}"
        value = evaluate(a)
        rank = x.shape.ndims
        if rank is None:
            out = TensorShape(None)
        elif value is None:
            out = TensorShape([None] * (rank - 1))
        else:
            ax = int(np.ravel(value)[0])
            if ax < -rank or ax >= rank:
                raise shape_error(f"Dimension ({ax}) must be in the range [{-rank}, {rank}), where "
                                  f"{rank} is the number of dimensions in the input.",
                                  scope[:-1], op_type, attrs, [x, a], {1: value})
            dims = x.shape.as_list()
            del dims[ax % rank]
            out = TensorShape(dims)
        return make_op(op_type, [x, a], [(out_dt, out)], scope,
                       {"T": dt, "Tidx": a.dtype.base_dtype, "output_type": out_dt}).outputs[0]


def argmax(input: Any, axis: Any = None, name: str | None = None, dimension: Any = None,
           output_type: Any = dtypes.int64) -> Tensor:
    """The index of the largest value along ``axis`` (default 0); the first one on ties."""
    return _arg("ArgMax", input, axis, name, dimension, output_type)


def argmin(input: Any, axis: Any = None, name: str | None = None, dimension: Any = None,
           output_type: Any = dtypes.int64) -> Tensor:
    """The index of the smallest value along ``axis`` (default 0); the first one on ties."""
    return _arg("ArgMin", input, axis, name, dimension, output_type)


def reduced_shape(input_shape: Any, axes: Any) -> Any:
    """The shape of a reduction's output with its dimensions kept (size 1 where reduced), TF's
    ``math_ops.reduced_shape``: a numpy array when the shape and the axes are known constants
    (Python's ``constant_value``), else TF's graph ``DynamicStitch([range(rank), (axes + rank) %
    rank], [input_shape, ones(shape(axes))])`` in the current scope."""
    from .array_ops import ones, shape, size
    from .constant_folding import constant_value
    from .data_flow_ops import dynamic_stitch

    known_shape = input_shape if not isinstance(input_shape, Tensor) else constant_value(input_shape)
    if known_shape is not None:
        known_axes = axes if not isinstance(axes, Tensor) else constant_value(axes)
        if known_axes is not None:
            kept = np.array(known_shape, dtype=np.int32)
            kept[np.array(known_axes, dtype=np.int32)] = 1
            return kept
    a = convert_to_tensor(axes)
    rank = size(input_shape, out_type=a.dtype)
    a = (a + rank) % rank
    axes_shape = shape(a)
    return dynamic_stitch([range_(rank), a], [input_shape, ones(axes_shape, dtype=input_shape.dtype)])
