"""CPU kernel: ``Unique`` (``tf.unique``), as TensorFlow 2.21's CPU kernel computes it.

TF's kernel inserts each element into a hash map (value → its position among the distinct
values) and keeps the first occurrence: ``y`` lists the values in the order they first occur
(each with the bits of that first occurrence), ``idx[i]`` is where ``x[i]``'s value is in ``y``.
Which elements share a value follows the map's hash and equality:

- float32 / float64 (``std::unordered_map`` with ``std::hash``, which hashes both zeros alike):
  -0.0 and 0.0 are one value, kept with the sign met first; a NaN equals nothing, so every NaN
  is a value of its own;
- float16 (``std::hash`` of the bits): -0.0 and 0.0 are two values; every NaN is its
  own value here too;
- integers, bool and strings: equal when equal.

The same grouping is computed here by a stable sort, which puts the elements of each value side
by side in their original order (its first element is the first occurrence). The GPU kernel
(kernels/cuda/unique.py) reuses `unique_plan`.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from ... import errors
from ..registry import KernelContext, register_kernel

# TF registers its CPU kernel for the real number types, strings and bool (no complex).
CPU_TYPES = ("float32", "float64", "int32", "uint8", "int16", "int8", "int64", "bfloat16",
             "uint16", "float16", "uint32", "uint64", "string", "bool")

_INT32_MAX = 2**31 - 1


class UniquePlan(NamedTuple):
    """Where ``y`` and ``idx`` come from: ``y = x[first]``, and ``idx``."""

    first: np.ndarray  # int64: for each distinct value, the position of its first occurrence
    idx: np.ndarray    # int64: for each element, its value's position in y


def check_unique_input(shape: tuple[int, ...]) -> None:
    """TF's checks, in its order (both devices), with its messages."""
    if int(np.prod(shape, dtype=np.int64)) > _INT32_MAX:
        raise errors.InvalidArgumentError(
            None, None, f"unique does not support input tensors larger than {_INT32_MAX} elements")
    if len(shape) != 1:
        raise errors.InvalidArgumentError(None, None, "unique expects a 1D vector.")


def unique_plan(x: np.ndarray, signed_zeros_differ: bool) -> UniquePlan:
    """The grouping of the vector ``x`` into distinct values, by first occurrence: equal values
    are one (``signed_zeros_differ``: -0.0 and 0.0 are not), a NaN is never equal to anything."""
    n = x.size
    if n == 0:
        return UniquePlan(np.zeros(0, np.int64), np.zeros(0, np.int64))
    floating = x.dtype.kind == "f"
    # The bits tell the zeros apart; comparing the values (numpy's sort does) merges them.
    key = x.view(f"u{x.dtype.itemsize}") if floating and signed_zeros_differ else x
    order = np.argsort(key, kind="stable")
    ordered = key[order]
    starts = np.ones(n, bool)
    starts[1:] = ordered[1:] != ordered[:-1]
    if floating:
        starts |= np.isnan(x[order])  # (the same bits still make two values)
    group = np.cumsum(starts) - 1                 # each sorted element's group
    group_first = order[starts]                   # each group's first occurrence (sort is stable)
    rank = np.argsort(group_first, kind="stable")  # the groups in order of first occurrence
    position = np.empty_like(rank)
    position[rank] = np.arange(rank.size)
    idx = np.empty(n, np.int64)
    idx[order] = position[group]
    return UniquePlan(group_first[rank], idx)


def signed_zeros_differ_on_cpu(dtype: np.dtype) -> bool:
    """Whether TF's CPU map tells -0.0 from 0.0 (it hashes a float16's bits)."""
    return dtype == np.float16


@register_kernel("Unique", types=CPU_TYPES)
def unique(ctx: KernelContext, inputs: list) -> list:
    """``(y, idx)``: the distinct values of the vector ``x`` in order of first occurrence, and
    each element's position among them (of type ``out_idx``)."""
    x = np.asarray(inputs[0])
    check_unique_input(x.shape)
    plan = unique_plan(x, signed_zeros_differ_on_cpu(x.dtype))
    out_idx = ctx.attrs.get("out_idx")
    idx_dtype = out_idx.as_numpy_dtype if out_idx is not None else np.int32
    return [x[plan.first], plan.idx.astype(idx_dtype)]
