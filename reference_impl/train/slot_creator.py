"""Slot variables: per-variable companions (EMA shadows, optimizer accumulators).

A slot of ``primary`` is made with ``get_variable("")`` inside ``variable_scope(None,
default_name=primary.op.name + "/" + name)``: so its name is ``<primary>/<name>`` made unique
(``w/Adam``, ``w/Adam_1``) and, because the default name is opened inside the *current* variable
scope, a slot created inside the primary's own scope repeats it (``net/net/w/Momentum``), as in
TensorFlow. Slots are never trainable.
"""

from __future__ import annotations

from typing import Any

from .. import dtypes
from ..graph import get_default_graph
from ..initializers import Zeros
from ..variable_scope import get_variable, get_variable_scope, variable_scope


def _prefix(primary: Any) -> str:
    return primary.op.name


def _make(primary: Any, name: str, colocate: bool = True, **kwargs: Any) -> Any:
    # A resource variable's slots are resource variables, a reference variable's are not.
    kwargs["use_resource"] = bool(getattr(primary, "_is_resource_variable", False))
    scope = get_variable_scope()
    partitioner = scope.partitioner
    if partitioner is not None:
        scope.set_partitioner(None)
    try:
        with variable_scope(None, default_name=_prefix(primary) + "/" + name):
            if not colocate:
                return get_variable("", trainable=False, **kwargs)
            # (so the slot, its initializer and its read take the primary's group and device)
            with get_default_graph().colocate_with(primary):
                return get_variable("", trainable=False, **kwargs)
    finally:
        if partitioner is not None:
            scope.set_partitioner(partitioner)


def create_slot(primary: Any, val: Any, name: str, colocate_with_primary: bool = True) -> Any:
    """A slot initialised from the tensor ``val`` (colocated with ``primary``, as TF does)."""
    return _make(primary, name, colocate_with_primary, initializer=val,
                 validate_shape=val.get_shape().is_fully_defined())


def create_slot_with_initializer(primary: Any, initializer: Any, shape: Any, dtype: Any,
                                 name: str, colocate_with_primary: bool = True) -> Any:
    """A slot of ``shape`` and ``dtype`` initialised by ``initializer``."""
    return _make(primary, name, colocate_with_primary, initializer=initializer, shape=shape,
                 dtype=dtypes.as_dtype(dtype).base_dtype,
                 validate_shape=shape.is_fully_defined())


def create_zeros_slot(primary: Any, name: str, dtype: Any = None, colocate_with_primary: bool = True) -> Any:
    """A zero-initialised slot shaped like ``primary``."""
    dtype = (dtype or primary.dtype).base_dtype
    shape = primary.get_shape()
    if not shape.is_fully_defined():
        raise NotImplementedError("slots of primaries with unknown shape are not implemented")
    return create_slot_with_initializer(primary, Zeros(), shape, dtype, name, colocate_with_primary)
