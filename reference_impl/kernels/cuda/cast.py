"""GPU kernel: Cast. One conversion per element, as numpy's ``astype`` converts (round to nearest
for narrowing floats, truncation toward zero for floats to integers, ``x != 0`` for bool)."""

from __future__ import annotations

from typing import Any

import numba
import numpy as np
from numba import cuda

from ..registry import GPU, KernelContext, register_kernel
from . import runtime


def _make_cast(dst: np.dtype) -> Any:
    convert = numba.from_dtype(dst)  # the device's conversion (cvt), wrapping out-of-range ints

    @cuda.jit
    def kernel(x, out):  # type: ignore[no-untyped-def]
        for i in range(cuda.grid(1), out.size, cuda.gridsize(1)):
            out[i] = convert(x[i])
    return kernel


_CASTS: dict[np.dtype, Any] = {}


def cast_kernel_for(dst: Any) -> Any:
    """The conversion kernel to ``dst`` (compiled once per destination dtype)."""
    dst = np.dtype(dst)
    if dst not in _CASTS:
        _CASTS[dst] = _make_cast(dst)
    return _CASTS[dst]


@cuda.jit
def to_bool_kernel(x, out):  # type: ignore[no-untyped-def]
    for i in range(cuda.grid(1), out.size, cuda.gridsize(1)):
        out[i] = x[i] != 0


@register_kernel("Cast", GPU)
def cast(ctx: KernelContext, inputs: list) -> list:
    dst = ctx.attrs["DstT"]
    x = runtime.to_device(inputs[0])
    out = runtime.empty(x.shape, np.bool_ if dst.is_bool else dst.as_numpy_dtype)
    kernel = to_bool_kernel if dst.is_bool else cast_kernel_for(dst.as_numpy_dtype)
    runtime.launch(kernel, out.size, runtime.flat(x), runtime.flat(out))
    return [out]
