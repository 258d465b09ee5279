"""Ops on reference variables: the ``VariableV2`` op, ``Assign`` / ``AssignAdd`` / ``AssignSub``,
``IsVariableInitialized``.

These ops take the variable's ``*_ref`` tensor as a *ref input*: their kernels receive the
variable's `Ref` storage instead of its value, and their output is the ref again.
"""

from __future__ import annotations

from typing import Any

from . import dtypes
from .graph import Tensor, get_default_graph
from .op_def import convert_to_tensor, make_op
from .tensor_shape import TensorShape, as_shape


def variable_op_v2(shape: Any, dtype: dtypes.DType, name: str, container: str = "",
                   shared_name: str = "") -> Tensor:
    """A ``VariableV2`` op; its output has the ``_ref`` type."""
    sh = as_shape(shape)
    dt = dtype.base_dtype
    return make_op("VariableV2", [], [(dt._as_ref, sh)], name,
                   {"shape": sh, "dtype": dt, "container": container,
                    "shared_name": shared_name}, graph=get_default_graph()).outputs[0]


def _as_ref(ref: Any, op_type: str) -> Tensor:
    if hasattr(ref, "_ref") and not isinstance(ref, Tensor):
        return ref._ref()
    if isinstance(ref, Tensor) and ref.dtype.is_ref_dtype:
        return ref
    raise TypeError(f"'{op_type}' Op requires that input 'ref' be a mutable tensor (e.g.: a "
                    f"tf.Variable)")


def _update(op_type: str, ref: Any, value: Any, name: str | None, validate_shape: bool = True,
            use_locking: bool | None = None) -> Tensor:
    r = _as_ref(ref, op_type)
    g = r.graph
    with g.as_default(), g.name_scope(name or op_type) as scope:
        base = r.dtype.base_dtype
        try:
            v = convert_to_tensor(value, dtype=base, name="value")
        except (TypeError, ValueError):
            v = convert_to_tensor(value, name="value")
        if v.dtype.base_dtype != base:
            raise TypeError(f"Input 'value' of '{op_type}' Op has type {v.dtype.base_dtype.name} "
                            f"that does not match type {r.dtype.name} of argument 'ref'.")
        if validate_shape and not r.shape.is_compatible_with(v.shape):
            raise ValueError(f"Shapes must be equal rank, but are {r.shape.ndims} and "
                             f"{v.shape.ndims}" if r.shape.ndims != v.shape.ndims else
                             f"Dimension 0 in both shapes must be equal, but are "
                             f"{r.shape} and {v.shape}. Shapes are {r.shape} and {v.shape}.")
        out_shape = (v.shape if op_type == "Assign" and not validate_shape else
                     r.shape.merge_with(v.shape) if validate_shape else r.shape)
        # unset, the op's default: Assign locks, AssignAdd / AssignSub do not
        locking = op_type == "Assign" if use_locking is None else bool(use_locking)
        attrs = {"T": base, "use_locking": locking}
        if op_type == "Assign":
            attrs["validate_shape"] = validate_shape
        return make_op(op_type, [r, v], [(r.dtype, out_shape)], scope, attrs,
                       ref_inputs=(0,)).outputs[0]


def assign(ref: Any, value: Any, validate_shape: bool | None = None,
           use_locking: bool | None = None, name: str | None = None) -> Tensor:
    """Store ``value`` in the variable ``ref``; the result is the updated ref."""
    if getattr(ref, "_is_resource_variable", False):
        return ref.assign(value, name=name)
    return _update("Assign", ref, value, name,
                   True if validate_shape is None else validate_shape, use_locking)


def assign_add(ref: Any, value: Any, use_locking: bool | None = None,
               name: str | None = None) -> Tensor:
    """Add ``value`` to the variable ``ref``."""
    if getattr(ref, "_is_resource_variable", False):
        return ref.assign_add(value)  # TF passes neither name nor use_locking on
    return _update("AssignAdd", ref, value, name, True, use_locking)


def assign_sub(ref: Any, value: Any, use_locking: bool | None = None,
               name: str | None = None) -> Tensor:
    """Subtract ``value`` from the variable ``ref``."""
    if getattr(ref, "_is_resource_variable", False):
        return ref.assign_sub(value)
    return _update("AssignSub", ref, value, name, True, use_locking)


def is_variable_initialized(ref: Any, name: str | None = None) -> Tensor:
    """A bool scalar: has the variable been assigned a value in this session?"""
    if getattr(ref, "_is_resource_variable", False):
        return ref.is_initialized(name=name)
    r = _as_ref(ref, "IsVariableInitialized")
    return make_op("IsVariableInitialized", [r], [(dtypes.bool, TensorShape([]))],
                   name or "IsVariableInitialized", {"dtype": r.dtype.base_dtype},
                   ref_inputs=(0,), graph=r.graph).outputs[0]
