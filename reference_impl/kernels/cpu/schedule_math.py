"""CPU kernels: the element-wise ops learning-rate schedules use beyond plain arithmetic
(Floor, Ceil, SelectV2; Cos is with the other transcendentals in eigen_math.py)."""

from __future__ import annotations

import numpy as np

from ..registry import KernelContext, register_kernel


def _unary(fn):  # type: ignore[no-untyped-def]
    def kernel(ctx: KernelContext, inputs: list) -> list:
        with np.errstate(all="ignore"):
            return [fn(np.asarray(inputs[0]))]
    return kernel


register_kernel("Floor")(_unary(np.floor))
register_kernel("Ceil")(_unary(np.ceil))


@register_kernel("SelectV2")
def select_v2(ctx: KernelContext, inputs: list) -> list:
    cond, x, y = inputs
    return [np.where(cond, x, y).astype(ctx.attrs["T"].as_numpy_dtype)]
