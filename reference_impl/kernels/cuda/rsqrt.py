"""GPU kernels of ``Rsqrt`` and ``RsqrtGrad`` (kernels/cpu/rsqrt.py), element by element in the
element's dtype (float32, float64), every result flushed as TF's CPU kernels flush it.

RsqrtGrad gives the CPU kernel's bits: the element's index says whether TF's CPU computes it
in a packet (the first ``n - n % P``) or in its scalar tail, and the kernel takes that path's
order of products. Rsqrt gives ``1 / sqrt(x)`` (``sqrt`` and ``/`` each rounded), the CPU's
value on its scalar tail, on every float64 and on every tensor of fewer than 8 elements; TF's
float32 packets start from the x86 processor's ``rsqrtps`` estimate, which a GPU does not have,
so there a third of the elements are an ULP from the CPU's. float16 and complex types are
computed on the host by the CPU kernel's functions (numba's device code does not compute with
float16 everywhere) and copied back.
"""

from __future__ import annotations

import math

import numpy as np
from numba import cuda

from ..cpu import rsqrt as cpu
from ..registry import GPU, KernelContext, register_kernel
from . import runtime

_DEVICE_DTYPES = (np.dtype(np.float32), np.dtype(np.float64))


@runtime.device_function
def _fl(v, tiny):  # type: ignore[no-untyped-def]
    # FTZ of one result: a zero of v's sign where v is denormal.
    return v * 0 if abs(v) < tiny else v


@cuda.jit
def rsqrt_kernel(x, out, consts):  # type: ignore[no-untyped-def]
    # consts: [1, tiny] in the dtype (so the division stays in it: Python's 1 would widen
    # float32 to float64 in numba).
    for i in range(cuda.grid(1), out.size, cuda.gridsize(1)):
        a = x[i]
        if a >= 0:  # (+-0 and +inf included: sqrt(-0) is -0, 1 / -0 is -inf)
            out[i] = _fl(consts[0] / math.sqrt(a), consts[1])
        else:  # (NaN and negatives: NaN, as C's sqrt gives; Python's math.sqrt would raise)
            out[i] = (a - a) / (a - a)


@cuda.jit
def rsqrt_grad_kernel(y, dy, out, cut, consts):  # type: ignore[no-untyped-def]
    # consts: [-0.5, 0, tiny] in the dtype. Elements below `cut` take Eigen's packet function,
    # mul_no_nan(-0.5 * (y * y), mul_no_nan(y, dy)); the others its scalar function,
    # (-0.5 * (dy * y)) * (y * y), 0 where dy is 0.
    half, zero, tiny = consts[0], consts[1], consts[2]
    for i in range(cuda.grid(1), out.size, cuda.gridsize(1)):
        a = _fl(y[i], tiny)
        g = _fl(dy[i], tiny)
        if i < cut:
            h = _fl(half * _fl(a * a, tiny), tiny)
            m = zero if g == 0 else _fl(a * g, tiny)
            out[i] = zero if m == 0 else _fl(h * m, tiny)
        elif g == 0:
            out[i] = zero
        else:
            out[i] = _fl(_fl(half * _fl(g * a, tiny), tiny) * _fl(a * a, tiny), tiny)


def _on_host(fn, *inputs):  # type: ignore[no-untyped-def]
    """The CPU kernel's function on the host copies of ``inputs``, copied back."""
    return runtime.to_device(np.ascontiguousarray(fn(*(runtime.to_host(v) for v in inputs))))


@register_kernel("Rsqrt", GPU)
def rsqrt(ctx: KernelContext, inputs: list) -> list:
    x = runtime.to_device(inputs[0])
    dtype = np.dtype(x.dtype)
    if dtype not in _DEVICE_DTYPES:
        return [_on_host(cpu.rsqrt, x)]
    out = runtime.empty(tuple(x.shape), dtype)
    consts = runtime.to_device(np.array([1, np.finfo(dtype).tiny], dtype))
    runtime.launch(rsqrt_kernel, out.size, runtime.flat(x), runtime.flat(out), consts)
    return [out]


@register_kernel("RsqrtGrad", GPU)
def rsqrt_grad(ctx: KernelContext, inputs: list) -> list:
    y, dy = (runtime.to_device(v) for v in inputs)
    dtype = np.dtype(y.dtype)
    if dtype not in _DEVICE_DTYPES:
        return [_on_host(cpu.rsqrt_grad, y, dy)]
    out = runtime.empty(tuple(y.shape), dtype)
    consts = runtime.to_device(np.array([-0.5, 0, np.finfo(dtype).tiny], dtype))
    runtime.launch(rsqrt_grad_kernel, out.size, runtime.flat(y), runtime.flat(dy),
                   runtime.flat(out), cpu.packed(out.size, dtype), consts)
    return [out]
