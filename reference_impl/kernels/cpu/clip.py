"""``ClipByValue``: each element clipped to ``[clip_value_min, clip_value_max]``, as TF's CPU
kernel (cwise_op_clip.cc) computes it.

Each bound is a scalar or of the input's shape (else InvalidArgumentError, checked when run).
An element is ``std::max(std::min(x, max), min)``: ``min(x, max)`` is ``max`` only where
``max < x`` and ``max(m, min)`` is ``min`` only where ``m < min``, so a NaN element stays NaN and
a NaN bound is ignored (not propagated, unlike ``tf.clip_by_value``'s Minimum and Maximum); of
two equal zeros the element is kept. Float32 and float64 are read under DAZ (a denormal is a
zero of its sign; the result is one of the flushed operands, so it is never denormal). Complex
numbers are clipped part by part, as in a box.
"""

from __future__ import annotations

import numpy as np

from ... import errors
from ..ftz import flush
from ..registry import KernelContext, register_kernel
from ..shape_text import debug_string

# TF's CPU kernels' T (REGISTER_CPU_KERNEL in cwise_op_clip.cc).
CPU_TYPES = ("float16", "float32", "float64", "bfloat16", "int8", "int16", "int32", "int64",
             "uint8", "uint16", "complex64", "complex128")


def check_bounds(x: tuple[int, ...], lo: tuple[int, ...], hi: tuple[int, ...]) -> None:
    """TF's check: each bound of the input's shape or a scalar (InvalidArgumentError)."""
    if (lo == x or not lo) and (hi == x or not hi):
        return
    raise errors.InvalidArgumentError(
        None, None, "clip_value_min and clip_value_max must be either of the same shape as "
        f"input, or a scalar. input shape: {debug_string(x)}clip_value_min shape: "
        f"{debug_string(lo)}clip_value_max shape: {debug_string(hi)}")


def clip_real(x: np.ndarray, lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
    """``std::max(std::min(x, hi), lo)`` element-wise (the bounds broadcast)."""
    with np.errstate(invalid="ignore"):
        m = np.where(hi < x, hi, x)
        return np.where(m < lo, lo, m)


def clip(x: np.ndarray, lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
    """The kernel's values for checked inputs: real types as `clip_real` (floats flushed first),
    complex types part by part."""
    if x.dtype.kind == "c":
        out = np.empty(x.shape, x.dtype)
        out.real = clip_real(x.real, np.real(lo), np.real(hi))
        out.imag = clip_real(x.imag, np.imag(lo), np.imag(hi))
        return out
    x, lo, hi = flush(x), flush(lo), flush(hi)
    return np.asarray(clip_real(x, lo, hi), dtype=x.dtype).reshape(x.shape)


@register_kernel("ClipByValue", types=CPU_TYPES)
def clip_by_value(ctx: KernelContext, inputs: list) -> list:
    x, lo, hi = (np.asarray(a) for a in inputs)
    check_bounds(x.shape, lo.shape, hi.shape)
    if x.size == 0:
        return [np.empty(x.shape, x.dtype)]
    return [clip(x, lo, hi)]


__all__ = ["CPU_TYPES", "check_bounds", "clip", "clip_real"]
