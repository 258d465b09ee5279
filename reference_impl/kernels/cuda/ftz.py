"""Flush-to-zero on the GPU (see `reference_impl.kernels.ftz`): TF builds its CUDA kernels with
``--ftz``, and the registry wraps the GPU twins of the computing ops as it wraps the CPU
kernels, so both devices observe the same bits. A device array is flushed by one grid-stride
pass into a new array, or in place (a variable's stored value)."""

from __future__ import annotations

from typing import Any

import numpy as np
from numba import cuda

from . import runtime


@cuda.jit
def _flush_kernel(x, out, tiny):  # type: ignore[no-untyped-def]
    for i in range(cuda.grid(1), out.size, cuda.gridsize(1)):
        v = x[i]
        if abs(v) < tiny:
            out[i] = v * 0  # a zero of v's sign
        else:
            out[i] = v


def flush(a: Any, out: Any = None) -> Any:
    """Float32 / float64 device array ``a`` with its denormals replaced by signed zeros: into
    ``out`` (which may be ``a``), else a new device array."""
    dtype = np.dtype(a.dtype)
    if out is None:
        out = runtime.empty(a.shape, dtype)
    runtime.launch(_flush_kernel, a.size, runtime.flat(a), runtime.flat(out),
                   dtype.type(np.finfo(dtype).tiny))
    return out


__all__ = ["flush"]
