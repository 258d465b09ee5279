"""GPU kernels: ``Cumsum`` and ``Cumprod``, the same bits as the CPU kernels (``kernels/cpu/scan.py``).

One thread per line along the axis (the input seen as (outer, n, inner), as TF's ScanOp sees
it), accumulating sequentially from the identity with the accumulator as the left operand, each
element and each partial result of float32 / float64 flushed (FTZ / DAZ). TF's own GPU kernel
scans each line with CUB's parallel block scan, whose float sums are rounded in another order;
the reference follows TF's CPU kernel so that both of its devices give the same bits.

A NaN accumulator is kept as it is rather than combined again: x86 keeps the left operand's
NaN (the CPU kernel's `_sticky_nans`), a GPU would return its canonical NaN. float16 is computed
as Eigen's half: the float32 sum or product rounded to half, step by step. The axis is host
memory (TF's ``HostMemory("axis")``).
"""

from __future__ import annotations

from typing import Any, Callable

import numba
import numpy as np
from numba import cuda

from ..cpu import scan as cpu_scan
from ..ftz import computes_ftz, smallest_normal
from ..registry import GPU, KernelContext, register_kernel
from . import runtime


def _combine(dtype: np.dtype, prod: bool) -> Callable:
    """``acc (op) v`` in the element type (float16 through float32, as Eigen's half)."""
    nb = numba.from_dtype(dtype)
    if dtype == np.float16:
        wide = numba.float32
        return (lambda a, b: nb(wide(a) * wide(b))) if prod else (lambda a, b: nb(wide(a) + wide(b)))
    return (lambda a, b: nb(a * b)) if prod else (lambda a, b: nb(a + b))


def _flush(dtype: np.dtype) -> Callable:
    """A denormal float32 / float64 as a zero of its sign; other types as they are."""
    if smallest_normal(dtype) is None:
        return lambda v, tiny: v
    nb = numba.from_dtype(dtype)

    def flush(v, tiny):  # type: ignore[no-untyped-def]
        if v < tiny and v > -tiny:
            return nb(v * nb(0))
        return v
    return flush


def _stays(dtype: np.dtype) -> Callable:
    """Whether the accumulator no longer changes: a real float NaN (see the module's docstring)."""
    if dtype == np.float16:  # (compared as float32: half's own != is a cuda_fp16 C function)
        wide = numba.float32
        return lambda acc: wide(acc) != wide(acc)
    if dtype.kind == "f":
        return lambda acc: acc != acc
    return lambda acc: False


def _make_scan(dtype: np.dtype, prod: bool) -> Any:
    combine = runtime.device_function(_combine(dtype, prod))
    flush = runtime.device_function(_flush(dtype))
    stays = runtime.device_function(_stays(dtype))

    @cuda.jit
    def kernel(x, out, n, inner, lines, exclusive, reverse, identity, tiny):  # type: ignore[no-untyped-def]
        for line in range(cuda.grid(1), lines, cuda.gridsize(1)):
            base = line // inner * n * inner + line % inner
            acc = identity[0]
            for t in range(n):
                k = n - 1 - t if reverse else t
                pos = base + k * inner
                if exclusive:
                    out[pos] = acc
                if not stays(acc):
                    acc = flush(combine(acc, flush(x[pos], tiny)), tiny)
                if not exclusive:
                    out[pos] = acc
    return kernel


_KERNELS: dict[tuple[np.dtype, bool], Any] = {}


def _kernel_for(dtype: np.dtype, prod: bool) -> Any:
    key = (dtype, prod)
    if key not in _KERNELS:
        _KERNELS[key] = _make_scan(dtype, prod)
    return _KERNELS[key]


def _gpu_scan(op: str) -> Any:
    prod = op == "Cumprod"

    @computes_ftz  # flushes each element and partial result itself
    def kernel(ctx: KernelContext, inputs: list) -> list:
        x = runtime.to_device(inputs[0])
        shape = tuple(x.shape)
        axis = cpu_scan.scan_axis(len(shape), runtime.to_host(inputs[1]))
        dtype = np.dtype(x.dtype)
        out = runtime.empty(shape, dtype)
        if out.size == 0:
            return [out]
        outer, n, inner = cpu_scan.lines_view(shape, axis)
        tiny = smallest_normal(dtype)
        identity = runtime.to_device(np.asarray([1 if prod else 0], dtype))
        runtime.launch(_kernel_for(dtype, prod), outer * inner, runtime.flat(x), runtime.flat(out),
                       n, inner, outer * inner, bool(ctx.attrs.get("exclusive", False)),
                       bool(ctx.attrs.get("reverse", False)), identity,
                       tiny if tiny is not None else dtype.type(0))
        return [out]

    kernel.__name__ = kernel.__qualname__ = op.lower()
    kernel.__doc__ = f"``{op}`` on the device, line by line (see the module's docstring)."
    return kernel


cumsum = register_kernel("Cumsum", GPU)(_gpu_scan("Cumsum"))
cumprod = register_kernel("Cumprod", GPU)(_gpu_scan("Cumprod"))
