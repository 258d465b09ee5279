"""GPU kernel of ``ClipByValue`` (kernels/cpu/clip.py): one grid-stride pass computing
``std::max(std::min(x, max), min)`` per element, each bound read once (a scalar) or at the
element's offset (of the input's shape), float32 and float64 read under DAZ as on the CPU.

The bounds' shapes are checked on the host first, with the CPU kernel's message. float16 and
bfloat16, which numba's device code does not compute with everywhere, and complex types (TF has
no GPU kernel for them; its placer runs them on the CPU) are clipped on the host by the CPU
kernel's function and copied back.
"""

from __future__ import annotations

import numpy as np
from numba import cuda

from ..cpu import clip as cpu
from ..registry import GPU, KernelContext, register_kernel
from . import runtime


@cuda.jit
def clip_kernel(x, lo, hi, out, lo_step, hi_step, tiny):  # type: ignore[no-untyped-def]
    # lo_step / hi_step: 1 for a bound of x's shape, 0 for a scalar one. tiny: the smallest
    # normal number (DAZ) of a float dtype, 0 for an integer one (nothing is flushed).
    for i in range(cuda.grid(1), out.size, cuda.gridsize(1)):
        v = x[i]
        low = lo[i * lo_step]
        high = hi[i * hi_step]
        if abs(v) < tiny:
            v = v * 0
        if abs(low) < tiny:
            low = low * 0
        if abs(high) < tiny:
            high = high * 0
        m = high if high < v else v  # std::min(v, high): NaN v stays, NaN high is ignored
        out[i] = low if m < low else m  # std::max(m, low)


@register_kernel("ClipByValue", GPU, types=cpu.CPU_TYPES)
def clip_by_value(ctx: KernelContext, inputs: list) -> list:
    x, lo, hi = (runtime.to_device(v) for v in inputs)
    cpu.check_bounds(tuple(x.shape), tuple(lo.shape), tuple(hi.shape))
    dtype = np.dtype(x.dtype)
    if dtype.kind == "c" or dtype.itemsize < 4 and dtype.kind == "f" or dtype.name == "bfloat16":
        host = [runtime.to_host(v) for v in (x, lo, hi)]
        out = cpu.clip(*host) if host[0].size else np.empty(host[0].shape, dtype)
        return [runtime.to_device(np.ascontiguousarray(out))]
    out = runtime.empty(tuple(x.shape), dtype)
    if out.size:
        tiny = np.finfo(dtype).tiny if dtype.kind == "f" else 0
        runtime.launch(clip_kernel, out.size, runtime.flat(x), runtime.flat(lo), runtime.flat(hi),
                       runtime.flat(out), 1 if lo.size == out.size and lo.ndim else 0,
                       1 if hi.size == out.size and hi.ndim else 0, dtype.type(tiny))
    return [out]
