"""Clipping tensors and gradients: ``tf.clip_by_value``, ``tf.clip_by_norm``,
``tf.global_norm``, ``tf.clip_by_global_norm``, ``tf.clip_by_average_norm`` and the
``ClipByValue`` op (``tf.raw_ops.ClipByValue``), as TF 2.21 builds them in graph mode.

The functions are compositions of element-wise ops, built op for op in TF's order under TF's
name scopes, so that names, static shapes, errors and values match: ``clip_by_value`` is a
``Minimum`` then a ``Maximum`` named after the scope (not the ``ClipByValue`` op, which only
``tf.raw_ops`` builds); ``clip_by_norm`` takes the square root of ``sum(t * t)`` only where that
sum is positive (two Selects, so that its gradient is never NaN); ``global_norm`` is
``sqrt(2 * sum(L2Loss(t) for t))``, each L2Loss colocated with its tensor; ``clip_by_global_norm``
scales every tensor by ``clip_norm * min(1 / norm, 1 / clip_norm)`` plus ``norm - norm``, which
makes the scale NaN for an infinite or NaN norm (so every clipped tensor is NaN: the error is
visible rather than silently zeroed).

An `IndexedSlices` (a gather's gradient) is clipped through its values: the result is an
IndexedSlices with the same indices and dense shape. ``global_norm`` and
``clip_by_global_norm`` take lists mixing Tensors, IndexedSlices and None (skipped, and kept as
None in the clipped list).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from . import dtypes
from .array_ops import identity, ones_like, rank, size, stack, where
from .graph import Tensor, colocate_with, name_scope
from .indexed_slices import IndexedSlices
from .math_ops import _convert_operand, cast, maximum, minimum, rsqrt, sqrt
from .nn_ops import l2_loss
from .op_def import constant, convert_to_tensor, graph_of, make_op
from .reduction_ops import reduce_sum
from .sequence_ops import range_

__all__ = ["clip_by_average_norm", "clip_by_global_norm", "clip_by_norm", "clip_by_value",
           "clip_by_value_op", "global_norm"]


def _values(t: Any) -> Any:
    """What the clipping computes on: an IndexedSlices' values, anything else itself."""
    return t.values if isinstance(t, IndexedSlices) else t


def _like(t: Any, clipped: Tensor) -> Any:
    """``clipped`` in the form of ``t``: an IndexedSlices keeps its indices and dense shape."""
    if isinstance(t, IndexedSlices):
        return IndexedSlices(clipped, t.indices, t.dense_shape)
    return clipped


def clip_by_value(t: Any, clip_value_min: Any, clip_value_max: Any,
                  name: str | None = None) -> Any:
    """``t`` with its values below ``clip_value_min`` raised to it and those above
    ``clip_value_max`` lowered to it: ``Maximum(Minimum(t, max), min)``, the Maximum named after
    the scope (``clip_by_value``). Bounds may broadcast to ``t``'s shape but never widen it
    (a ValueError: ``Shapes (2, 2) and (1, 2, 2) are incompatible``)."""
    with name_scope(name, "clip_by_value", [t, clip_value_min, clip_value_max]) as scope:
        values = convert_to_tensor(_values(t), name="t")
        t_min = minimum(values, clip_value_max)
        # (TF checks the shape after each op, so a widening max fails before the Maximum)
        values.shape.assert_is_compatible_with(t_min.shape)
        t_max = maximum(t_min, clip_value_min, name=scope)
        values.shape.assert_is_compatible_with(t_max.shape)
        return _like(t, t_max)


# ClipByValue's T: TF's numbertype, in the order op_def_library lists it.
_NUMBER_TYPES = ("float32", "float64", "int32", "uint8", "int16", "int8", "complex64", "int64",
                 "qint8", "quint8", "qint32", "bfloat16", "qint16", "quint16", "uint16",
                 "complex128", "float16", "uint32", "uint64")


def clip_by_value_op(t: Any, clip_value_min: Any, clip_value_max: Any,
                     name: str | None = None) -> Tensor:
    """The ``ClipByValue`` op itself (``tf.raw_ops.ClipByValue``): ``t``'s shape (the bounds
    are checked when it runs: each a scalar or of ``t``'s shape)."""
    g = graph_of([t, clip_value_min, clip_value_max])
    with g.as_default(), g.name_scope(name or "ClipByValue") as scope:
        x = convert_to_tensor(t, name="t")
        dt = x.dtype.base_dtype
        if dt.name not in _NUMBER_TYPES:
            raise TypeError(f"Value passed to parameter 't' has DataType {dt.name} not in list of "
                            f"allowed values: {', '.join(_NUMBER_TYPES)}")
        bounds = []
        for value, arg in ((clip_value_min, "clip_value_min"), (clip_value_max, "clip_value_max")):
            bound = _convert_operand(value, dt, arg, "ClipByValue")
            if bound.dtype.base_dtype != dt:
                raise TypeError(f"Input '{arg}' of 'ClipByValue' Op has type "
                                f"{bound.dtype.base_dtype.name} that does not match type {dt.name} "
                                "of argument 't'.")
            bounds.append(bound)
        return make_op("ClipByValue", [x] + bounds, [(dt, x.shape)], scope, {"T": dt}).outputs[0]


def clip_by_norm(t: Any, clip_norm: Any, axes: Any = None, name: str | None = None) -> Any:
    """``t * clip_norm / max(l2norm(t), clip_norm)``: ``t`` unchanged where its L2 norm (over
    ``axes``, every axis when None) is at most ``clip_norm``, else scaled down to that norm.
    A negative Python ``clip_norm`` counts as 0; a tensor one is ``max(clip_norm, 0)`` cast to
    ``t``'s type. An all-zero ``t`` stays zero (its norm is used only where positive)."""
    with name_scope(name, "clip_by_norm", [t, clip_norm]) as scope:
        values = convert_to_tensor(_values(t), name="t")
        if np.isscalar(clip_norm):
            if clip_norm < 0:
                clip_norm = 0
        else:
            clip_norm = cast(maximum(clip_norm, 0), dtype=values.dtype)
        l2sum = reduce_sum(values * values, axes, keepdims=True)
        positive = l2sum > 0
        # (the square root of a zero sum would make the gradient NaN: take it of ones there)
        l2sum_safe = where(positive, l2sum, ones_like(l2sum))
        l2norm = where(positive, sqrt(l2sum_safe), l2sum)
        intermediate = values * clip_norm
        values.shape.assert_is_compatible_with(intermediate.shape)
        clipped = identity(intermediate / maximum(l2norm, clip_norm), name=scope)
        return _like(t, clipped)


def _check_sequence(t_list: Any) -> list:
    if not isinstance(t_list, Sequence) or isinstance(t_list, str):
        raise TypeError(f"`t_list` should be a sequence of tensors. Received {_tf_type(t_list)}.")
    return list(t_list)


def _tf_type(value: Any) -> str:
    """``type(value)`` as TF's message prints it (its graph tensors are SymbolicTensors)."""
    if isinstance(value, Tensor):
        return "<class 'tensorflow.python.framework.ops.SymbolicTensor'>"
    return str(type(value))


def _converted(t_list: list) -> list:
    """Each entry's values as a Tensor (``t_0``, ``t_1`` … for other values), None kept."""
    return [None if t is None else convert_to_tensor(_values(t), name=f"t_{i}")
            for i, t in enumerate(t_list)]


def global_norm(t_list: Sequence[Any], name: str | None = None) -> Tensor:
    """``sqrt(sum(l2norm(t) ** 2 for t in t_list))`` over Tensors and IndexedSlices (Nones are
    skipped), computed as ``sqrt(sum(stack(L2Loss(t) …)) * 2)``: a float scalar of their type."""
    t_list = _check_sequence(t_list)
    with name_scope(name, "global_norm", t_list):
        half_squared_norms = []
        for v in _converted(t_list):
            if v is not None:
                with colocate_with(v):
                    half_squared_norms.append(l2_loss(v))
        # (an empty list stacks to an empty float32 constant: the norm of nothing is 0)
        half_squared_norm = reduce_sum(stack(half_squared_norms))
        two = constant(2.0, dtype=half_squared_norm.dtype)
        return sqrt(half_squared_norm * two, name="global_norm")


def clip_by_global_norm(t_list: Sequence[Any], clip_norm: Any, use_norm: Any = None,
                        name: str | None = None) -> tuple[list, Any]:
    """``(clipped, norm)``: every tensor of ``t_list`` times ``clip_norm / max(norm,
    clip_norm)``, where ``norm`` is ``use_norm`` or else `global_norm` of the list. An infinite
    or NaN norm makes every clipped tensor NaN. Nones stay None; IndexedSlices stay
    IndexedSlices (their values scaled); the clipped tensors are named ``<scope>/<scope>_<i>``."""
    t_list = _check_sequence(t_list)
    if use_norm is None:
        use_norm = global_norm(t_list, name)
    with name_scope(name, "clip_by_global_norm", t_list + [clip_norm]) as scope:
        scale_for_finite = clip_norm * minimum(
            1.0 / use_norm, constant(1.0, dtype=use_norm.dtype) / clip_norm)
        # norm - norm: 0 for a finite norm, NaN for inf or NaN, which the scale then carries.
        scale = scale_for_finite + (use_norm - use_norm)
        values_clipped = []
        for i, v in enumerate(_converted(t_list)):
            if v is None:
                values_clipped.append(None)
                continue
            with colocate_with(v):
                values_clipped.append(identity(v * cast(scale, v.dtype), name=f"{scope}_{i}"))
        clipped = [c if c is None else _like(t, c) for c, t in zip(values_clipped, t_list)]
    return clipped, use_norm


def clip_by_average_norm(t: Any, clip_norm: Any, name: str | None = None) -> Tensor:
    """Deprecated in TF: ``t * clip_norm * min(size(t) / l2norm(t), 1 / clip_norm)``, i.e.
    ``t`` scaled down where its L2 norm divided by its number of elements exceeds
    ``clip_norm``. An IndexedSlices is made dense first; ``t`` must be float32 (the element
    count is)."""
    with name_scope(name, "clip_by_average_norm", [t, clip_norm]) as scope:
        x = convert_to_tensor(t, name="t")
        n_element = cast(size(x), dtypes.float32)
        l2norm_inv = rsqrt(reduce_sum(x * x, range_(rank(x))))
        return identity(x * clip_norm * minimum(l2norm_inv * n_element,
                                                constant(1.0) / clip_norm), name=scope)
