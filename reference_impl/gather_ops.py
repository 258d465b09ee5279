"""``tf.gather`` (TF1's, the ``GatherV2`` op) with TF's names, static shapes and shape-function
errors.

The output is ``params.shape[:axis] + indices.shape + params.shape[axis + 1:]``. An axis known
while building needs ``params`` of rank at least ``axis + 1`` (``-axis`` for a negative one);
an axis known only when run leaves a shape of rank ``rank(params) + rank(indices) - 1``, every
dimension unknown. Out-of-range indices fail when run on the CPU; TF's GPU kernel writes zeros
for them instead (kernels/cuda).
"""

from __future__ import annotations

from typing import Any

from . import dtypes
from .constant_folding import constant_value, evaluate
from .graph import Tensor
from .op_def import convert_to_tensor, convert_type_attr_input, graph_of, make_op
from .op_errors import shape_error
from .shape_inference import dt_enum
from .tensor_shape import TensorShape

__all__ = ["gather"]

_INDEX_TYPES = (dtypes.int16, dtypes.int32, dtypes.int64)
_AXIS_TYPES = (dtypes.int32, dtypes.int64)


def gather_shape(params: TensorShape, indices: TensorShape, axis: int | None,
                 fail: Any) -> TensorShape:
    """GatherV2's shape function (batch_dims 0) once ``params`` has rank 1 or more and ``axis``
    (None: known only when run) rank 0; ``fail(message)`` builds its error."""
    if axis is None:
        if params.ndims is None or indices.ndims is None:
            return TensorShape(None)
        return TensorShape([None] * (params.ndims + indices.ndims - 1))
    least = -axis if axis < 0 else axis + 1
    if params.ndims is not None and params.ndims < least:
        raise fail(f"Shape must be at least rank {least} but is rank {params.ndims}")
    if params.ndims is None or indices.ndims is None:
        return TensorShape(None)
    dims = params.as_list()
    k = axis + len(dims) if axis < 0 else axis
    return TensorShape(dims[:k] + indices.as_list() + dims[k + 1:])


def gather(params: Any, indices: Any, validate_indices: Any = None, name: str | None = None,
           axis: Any = None, batch_dims: int = 0) -> Tensor:
    """Slices of ``params`` along ``axis`` (0 by default) picked by ``indices``
    (``validate_indices`` is accepted and ignored, as in TF)."""
    del validate_indices
    if batch_dims != 0:
        raise NotImplementedError("tf.gather with batch_dims != 0")
    if hasattr(params, "sparse_read") and _is_zero(axis):
        # a resource variable gathers with its own op (ResourceGather), as TF tries first
        return params.sparse_read(indices, name=name)
    g = graph_of([params, indices, axis])
    with g.as_default(), g.name_scope(name or "GatherV2") as scope:
        p = params if isinstance(params, Tensor) else convert_to_tensor(params, name="params")
        # (neither type attr has a default: an empty list stays float32 and is refused)
        i = convert_type_attr_input(indices, "indices", _INDEX_TYPES, None)
        a = convert_type_attr_input(0 if axis is None else axis, "axis", _AXIS_TYPES, None)
        dt = p.dtype.base_dtype
        attrs = (f"Taxis={dt_enum(a.dtype)}, Tindices={dt_enum(i.dtype)}, Tparams={dt_enum(dt)}, "
                 f"batch_dims=0")
        inputs = [p, i, a]

        def fail(message: str) -> ValueError:
            return shape_error(message, scope[:-1], "GatherV2", attrs, inputs, computed)

        computed: dict = {}
        if p.shape.ndims is not None and p.shape.ndims < 1:
            raise fail(f"Shape must be at least rank 1 but is rank {p.shape.ndims}")
        if a.shape.ndims is not None and a.shape.ndims != 0:
            raise fail(f"Shape must be rank 0 but is rank {a.shape.ndims}")
        known = evaluate(a)
        if known is not None:
            computed[2] = known
        shape = gather_shape(p.shape, i.shape, None if known is None else int(known), fail)
        return make_op("GatherV2", inputs, [(dt, shape)], scope,
                       {"Tparams": dt, "Tindices": i.dtype.base_dtype, "Taxis": a.dtype.base_dtype,
                        "batch_dims": 0}).outputs[0]


def _is_zero(axis: Any) -> bool:
    """TF's ``constant_value(axis) == 0`` test (None counts: the axis defaults to 0)."""
    if axis is None:
        return True
    if isinstance(axis, Tensor):
        value = constant_value(axis)
        return value is not None and value.size == 1 and value.item() == 0
    try:
        return int(axis) == 0
    except (TypeError, ValueError):
        return False
