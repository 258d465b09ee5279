"""CPU kernels: ``Range``."""

from __future__ import annotations

import numpy as np

from ..registry import KernelContext, register_kernel


@register_kernel("Range")
def range_kernel(ctx: KernelContext, inputs: list) -> list:
    start, limit, delta = (np.asarray(x).item() for x in inputs)
    return [np.arange(start, limit, delta, dtype=ctx.attrs["Tidx"].as_numpy_dtype)]
