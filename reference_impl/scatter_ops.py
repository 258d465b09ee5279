"""``tf.scatter_add``, ``tf.scatter_sub`` and ``tf.scatter_update``: sparse updates of a
variable's rows, ``ref[indices[i, ...], ...] (+|-)= updates[i, ..., ...]``, as TF1 graphs build
them.

On a reference variable each is one op (``ScatterAdd`` / ``ScatterSub`` / ``ScatterUpdate``)
taking the variable's ref as input 0 and giving the ref back (so it is colocated with the
variable), in a scope named after the op, where Python ``indices`` and ``updates`` become
``<scope>/indices`` and ``<scope>/updates``. On a resource variable TF converts ``updates`` to
the variable's type first, outside the op's scope (a ``Const``), adds a ``ResourceScatter*`` op
(no output) and returns the variable read after it (an ``_UnreadVariable``).

The shape function wants ``updates.shape == indices.shape + ref.shape[1:]``, or a scalar
``updates`` (added to, or written to, every element of the rows named). Indices out of range
fail when run on the CPU (after the updates before them are done); the GPU kernels skip them.
"""

from __future__ import annotations

from typing import Any

from . import dtypes
from .array_ops import _merge_problem
from .graph import Operation, Tensor
from .math_ops import _convert_operand
from .op_def import convert_to_tensor, convert_type_attr_input, make_op
from .op_errors import shape_error
from .shape_inference import dt_enum
from .state_ops import _as_ref
from .tensor_shape import TensorShape

__all__ = ["scatter_add", "scatter_sub", "scatter_update"]

_INDEX_TYPES = (dtypes.int32, dtypes.int64)

# ScatterAdd's and ScatterSub's T (ScatterUpdate takes every type), as TF's op defs list it;
# the quantized types the reference lacks are named in the message only.
_ARITHMETIC_TYPES = (dtypes.float32, dtypes.float64, dtypes.int32, dtypes.uint8, dtypes.int16,
                     dtypes.int8, dtypes.complex64, dtypes.int64, dtypes.bfloat16,
                     dtypes.uint16, dtypes.complex128, dtypes.float16, dtypes.uint32,
                     dtypes.uint64)
_ARITHMETIC_NAMES = ("float32, float64, int32, uint8, int16, int8, complex64, int64, qint8, "
                     "quint8, qint32, bfloat16, qint16, quint16, uint16, complex128, float16, "
                     "uint32, uint64")


def scatter_shape_problem(var: TensorShape, indices: TensorShape,
                          updates: TensorShape) -> str | None:
    """Why the scatter ops' shape function refuses ``updates`` (None: it does not): unless a
    scalar, it must merge with ``indices.shape + var.shape[1:]`` (a scalar variable's
    ``shape[1:]`` is ``[]``)."""
    if updates.ndims == 0 or var.ndims is None or indices.ndims is None:
        return None
    return _merge_problem(updates, TensorShape(indices.as_list() + var.as_list()[1:]))


def _type_refused(dtype: dtypes.DType, arg: str) -> TypeError:
    return TypeError(f"Value passed to parameter '{arg}' has DataType {dtype.name} not in list "
                     f"of allowed values: {_ARITHMETIC_NAMES}")


def ref_scatter(op_type: str, ref: Any, indices: Any, updates: Any, use_locking: bool | None,
                name: str | None) -> Tensor:
    """A ``ScatterAdd`` / ``ScatterSub`` / ``ScatterUpdate`` op on the reference variable (or
    ref tensor) ``ref``; its output is the ref."""
    r = _as_ref(ref, op_type)
    g = r.graph
    with g.as_default(), g.name_scope(name or op_type) as scope:
        dt = r.dtype.base_dtype
        # (the op builder checks T as soon as input 'ref' sets it, before converting the rest)
        if op_type != "ScatterUpdate" and dt not in _ARITHMETIC_TYPES:
            raise _type_refused(dt, "ref")
        i = convert_type_attr_input(indices, "indices", _INDEX_TYPES, None)
        u = _convert_operand(updates, dt, "updates", op_type)
        if u.dtype.base_dtype != dt:
            raise TypeError(f"Input 'updates' of '{op_type}' Op has type {u.dtype.base_dtype.name} "
                            f"that does not match type {dt.name} of argument 'ref'.")
        # None leaves the op's default: ScatterUpdate locks, ScatterAdd / ScatterSub do not
        locking = op_type == "ScatterUpdate" if use_locking is None else bool(use_locking)
        problem = scatter_shape_problem(r.shape, i.shape, u.shape)
        if problem is not None:
            attrs = (f"T={dt_enum(dt)}, Tindices={dt_enum(i.dtype)}, "
                     f"use_locking={str(locking).lower()}")
            raise shape_error(problem, scope[:-1], op_type, attrs, [r, i, u])
        return make_op(op_type, [r, i, u], [(r.dtype, r.shape)], scope,
                       {"T": dt, "Tindices": i.dtype.base_dtype, "use_locking": locking},
                       ref_inputs=(0,)).outputs[0]


def resource_scatter(op_type: str, var: Any, indices: Any, updates: Tensor,
                     name: str | None) -> Operation:
    """A ``ResourceScatterAdd`` / ``Sub`` / ``Update`` op on the resource variable ``var``,
    ``updates`` already converted to its type. The shape function reads the variable's shape
    (its handle's data), though its message lists the handle's own shape, ``[]``."""
    g = var.graph
    with g.as_default(), g.name_scope(name or op_type) as scope:
        i = convert_type_attr_input(indices, "indices", _INDEX_TYPES, None)
        dt = var.dtype.base_dtype
        if op_type != "ResourceScatterUpdate" and dt not in _ARITHMETIC_TYPES:
            raise _type_refused(dt, "updates")
        problem = scatter_shape_problem(var.shape, i.shape, updates.shape)
        if problem is not None:
            attrs = f"Tindices={dt_enum(i.dtype)}, dtype={dt_enum(dt)}"
            raise shape_error(problem, scope[:-1], op_type, attrs, [var.handle, i, updates])
        return make_op(op_type, [var.handle, i, updates], [], scope,
                       {"dtype": dt, "Tindices": i.dtype.base_dtype})


def _scatter(kind: str, ref: Any, indices: Any, updates: Any, use_locking: bool | None,
             name: str | None) -> Any:
    """TF's dispatch: a ref-typed ``ref`` gets the ref op, anything else is taken for a resource
    variable (whose own method builds the resource op)."""
    if getattr(ref, "_is_resource_variable", False):
        return ref._scatter("Resource" + kind, indices, updates, name)
    if getattr(ref.dtype, "is_ref_dtype", False):
        return ref_scatter(kind, ref, indices, updates, use_locking, name)
    raise AttributeError(f"'{type(ref).__name__}' object has no attribute '_lazy_read'")


def scatter_add(ref: Any, indices: Any, updates: Any, use_locking: bool = False,
                name: str | None = None) -> Any:
    """Add ``updates`` to the rows ``indices`` of the variable ``ref`` (a row named twice gets
    both, in index order); the updated ref, or a resource variable read after the update."""
    return _scatter("ScatterAdd", ref, indices, updates, use_locking, name)


def scatter_sub(ref: Any, indices: Any, updates: Any, use_locking: bool = False,
                name: str | None = None) -> Any:
    """Subtract ``updates`` from the rows ``indices`` of the variable ``ref``."""
    return _scatter("ScatterSub", ref, indices, updates, use_locking, name)


def scatter_update(ref: Any, indices: Any, updates: Any, use_locking: bool = True,
                   name: str | None = None) -> Any:
    """Write ``updates`` to the rows ``indices`` of the variable ``ref`` (of a row named twice,
    the last write stays on the CPU)."""
    return _scatter("ScatterUpdate", ref, indices, updates, use_locking, name)


def resource_updates(var: Any, updates: Any) -> Tensor:
    """``updates`` converted to a resource variable's type, as TF converts them before the
    op's scope opens."""
    return convert_to_tensor(updates, dtype=var.dtype)
