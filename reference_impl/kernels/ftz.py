"""Flush-to-zero / denormals-are-zero, as TensorFlow's kernels compute.

TF runs its CPU kernels with the MXCSR's FTZ and DAZ bits set (``port::ScopedFlushDenormal`` in
the executor's and the intra-op pool's threads), and builds its CUDA kernels with ``--ftz``. So
every kernel that does float32 / float64 arithmetic reads a denormal (subnormal) input as a zero
of the same sign and writes a denormal result as a zero of the same sign. Kernels that only move
bytes keep denormals: Const, Identity, Assign, a variable's read, Reshape, Pad, ConcatV2, Neg and
Abs (sign-bit operations), SelectV2, and a reduction whose reduced dimensions all have size 1 (TF
copies the input). Log, Sin, Cos, Pow and Sigmoid flush where TF does themselves (eigen_math.py): C's sinf and
the float64 sin and cos that TF's scalar paths call return a tiny input untouched (sin(1e-310)
is 1e-310 there), C's logf and powf read a denormal's bits (log(1e-40f) is -103.972, not -inf),
and Eigen's pow(x, 1) is x itself; Relu keeps one denormal (kernels/cpu/math.py: relu_peeled).
float16 is computed through F16C conversions, which the bits do not touch.
Observed on TF 2.21 (tests/reference/test_tf_divergences.py).

`flushing` wraps a registered kernel of one of `FLUSHING_OPS` (the registry does it for every
device): floating inputs are flushed before the kernel runs, a variable's stored value (a `Ref`
or resource handle input) in place, and floating outputs after it. A kernel marked
`computes_ftz` does the same itself (where it can do it in the pass that computes, rather than
in scans of every input and output), and the registry leaves it unwrapped.
"""

from __future__ import annotations

import functools
from typing import Any

import numpy as np

from .registry import KernelContext, KernelFn

# Kernels that compute on their floating inputs (an element-wise op, a cast, a reduction, a
# product, a variable update, an optimizer step).
FLUSHING_OPS = frozenset({
    "Add", "AddV2", "Sub", "Mul", "RealDiv", "Div", "Xdivy", "DivNoNan", "FloorDiv", "Maximum",
    "Minimum", "SquaredDifference", "BiasAdd", "Equal", "NotEqual", "Less", "LessEqual", "Greater",
    "GreaterEqual", "Square", "Sqrt", "Rsqrt", "Reciprocal", "Exp", "Floor", "Ceil", "Tanh",
    "Sign", "Cast", "MatMul", "AddN", "Conv2D", "ReluGrad", "SqrtGrad", "SigmoidGrad",
    "ReciprocalGrad",
    "Sum", "Mean", "Prod", "Max", "Min", "ArgMax", "ArgMin",
    "Cumsum", "Cumprod",  # (they flush each partial sum / product themselves: kernels/cpu/scan.py)
    "UnsortedSegmentSum",  # (likewise: kernels/cpu/segment.py)
    "AssignAdd", "AssignSub", "AssignAddVariableOp", "AssignSubVariableOp",
    "ApplyGradientDescent", "ApplyMomentum", "ApplyAdam", "ApplyAdagrad", "ApplyAdagradDA",
    "ApplyRMSProp", "ApplyCenteredRMSProp", "ApplyFtrl", "ApplyFtrlV2",
    # (not the SparseApply* ops: they flush the rows they update, and only those, themselves —
    # kernels/cpu/sparse_training.py — where this wrapper would flush whole variables)
})

_REDUCTIONS = frozenset({"Sum", "Mean", "Prod", "Max", "Min"})

_TINY = {np.dtype(np.float32): np.float32(np.finfo(np.float32).tiny),
         np.dtype(np.float64): np.float64(np.finfo(np.float64).tiny)}


def smallest_normal(dtype: Any) -> Any:
    """The smallest normal number of a dtype FTZ applies to (float32, float64); None for others."""
    return _TINY.get(np.dtype(dtype))


def computes_ftz(fn: KernelFn) -> KernelFn:
    """Mark ``fn`` as flushing its own inputs and outputs: the registry will not wrap it."""
    fn.computes_ftz = True  # type: ignore[attr-defined]
    return fn


def _device_flush(a: Any, out: Any = None) -> Any:
    from .cuda import ftz as cuda_ftz  # only reached with a GPU array: numba is loaded

    return cuda_ftz.flush(a, out)


def flush(a: Any) -> Any:
    """``a`` with its float32 / float64 denormals replaced by zeros of their sign (``a`` itself
    when it has none or is of another type); a GPU array is flushed on its device."""
    dtype = getattr(a, "dtype", None)
    tiny = _TINY.get(dtype) if dtype is not None else None
    if tiny is None:
        return a
    if not isinstance(a, (np.ndarray, np.generic)):
        return _device_flush(a)
    if not _has_denormals(a, tiny):
        return a
    # Comparing never warns (NaN compares false), so only the flush itself, whose a * 0 meets
    # the infinities too, needs the errstate (a context manager costing more than the check).
    small = np.abs(a) < tiny
    with np.errstate(all="ignore"):
        return np.where(small, a * a.dtype.type(0), a)


# Below this size numpy's check is about as fast as calling compiled code.
_JIT_MIN_SIZE = 64


def _has_denormals(a: Any, tiny: Any) -> bool:
    if a.size >= _JIT_MIN_SIZE and a.flags.c_contiguous:
        from .cpu import optional_jit  # (here: the CPU kernels' modules import this one)

        jit = optional_jit.for_input("ftz_jit", a.size)
        if jit is not None:
            return bool(jit.count_denormals(a.reshape(-1), tiny))
    # (ndarray.any goes through a Python wrapper: count_nonzero is faster)
    return bool(np.count_nonzero(np.abs(a) < tiny))


def _flush_stored(holder: Any) -> None:
    """A variable's stored value flushed: a `Ref`'s array in place (earlier reads in the run
    alias it, and the update that follows writes it in place too), a resource's by a copy."""
    value = getattr(holder, "value", None)
    if value is None:
        return
    if hasattr(value, "copy_to_host"):  # a GPU array
        if np.dtype(value.dtype) in _TINY:
            _device_flush(value, value)
        return
    flushed = flush(value)
    if flushed is value:
        return
    if type(value) is np.ndarray and value.flags.writeable:
        np.copyto(value, flushed)
    else:
        holder.value = flushed


def _copies(ctx: KernelContext, inputs: list) -> bool:
    """Whether the op only copies its input: a reduction over no dimension of size > 1, or an
    AddN of one tensor."""
    if ctx.op_type == "AddN":
        return len(inputs) < 2
    if ctx.op_type not in _REDUCTIONS:
        return False
    x, axes = inputs
    shape = np.shape(x)
    axes = np.ravel(axes.copy_to_host() if hasattr(axes, "copy_to_host") else axes)
    return all(shape[int(a) % len(shape)] == 1 for a in axes) if shape else True


def _holds_value(x: Any) -> bool:
    """Whether a kernel's input or output is a `Ref` or resource handle (an array is not: the
    callers test for one first, failing hasattr calls being the slower test)."""
    return hasattr(x, "value") and not hasattr(x, "dtype")


def flushing(fn: KernelFn) -> KernelFn:
    """``fn`` computing with FTZ / DAZ (see the module's docstring)."""

    def kernel(ctx: KernelContext, inputs: list) -> list:
        if _copies(ctx, inputs):
            return fn(ctx, inputs)
        flushed = []
        holders = []
        for x in inputs:
            if type(x) is not np.ndarray and _holds_value(x):
                _flush_stored(x)
                holders.append(x)
                flushed.append(x)
            else:
                flushed.append(flush(x))
        outputs = fn(ctx, flushed)
        for h in holders:
            _flush_stored(h)
        return [o if type(o) is not np.ndarray and _holds_value(o) else flush(o)
                for o in outputs]

    return functools.update_wrapper(kernel, fn)  # the kernel's module, name and doc


class _FlushingArray(np.ndarray):
    """An array whose every ufunc result is flushed, as an x86 core with FTZ flushes the result
    of each instruction: a kernel of several operations computed on such views flushes its
    intermediate values too (``var - delta * alpha`` with a denormal product subtracts 0)."""

    def __array_ufunc__(self, ufunc: Any, method: str, *inputs: Any, **kwargs: Any) -> Any:
        plain = [x.view(np.ndarray) if isinstance(x, _FlushingArray) else x for x in inputs]
        out = kwargs.get("out")
        if out is not None:
            kwargs["out"] = tuple(o.view(np.ndarray) if isinstance(o, _FlushingArray) else o
                                  for o in out)
        result = getattr(ufunc, method)(*plain, **kwargs)
        if out is not None:
            for o in kwargs["out"]:
                np.copyto(o, flush(o))
            return out[0] if len(out) == 1 else out
        result = flush(result)
        return result.view(_FlushingArray) if isinstance(result, np.ndarray) else result


class _FlushingHolder:
    """A variable's storage seen through a `_FlushingArray` (same buffer, updated in place)."""

    def __init__(self, holder: Any) -> None:
        self.holder = holder
        self.name = getattr(holder, "name", "")
        value = holder.value
        self.value = (value.view(_FlushingArray) if type(value) is np.ndarray and value.dtype in _TINY
                      else value)


def flushing_each_operation(fn: KernelFn) -> KernelFn:
    """``fn`` (a numpy kernel of several operations) with FTZ / DAZ on every operation: its
    array inputs and variables seen as `_FlushingArray`, inputs and stored values flushed
    first (`flushing`), so each intermediate result is flushed as TF's CPU computes it."""
    def views(ctx: KernelContext, inputs: list) -> list:
        wrapped = []
        for x in inputs:
            if type(x) is np.ndarray and x.dtype in _TINY:
                wrapped.append(x.view(_FlushingArray))
            elif type(x) is not np.ndarray and _holds_value(x):
                wrapped.append(_FlushingHolder(x))
            else:
                wrapped.append(x)
        outputs = fn(ctx, wrapped)
        return [o.holder if isinstance(o, _FlushingHolder)
                else o.view(np.ndarray) if isinstance(o, _FlushingArray) else o for o in outputs]
    return flushing(functools.update_wrapper(views, fn))


__all__ = ["FLUSHING_OPS", "computes_ftz", "flush", "flushing", "flushing_each_operation",
           "smallest_normal"]
