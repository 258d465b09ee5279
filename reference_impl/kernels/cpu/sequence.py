"""CPU kernels: ``Range``."""

from __future__ import annotations

import numpy as np

from ... import errors
from ..registry import KernelContext, register_kernel


def check_range(start: float, limit: float, delta: float) -> None:
    """TF's RangeOp checks, with its messages: a zero step, or one leading away from ``limit``."""
    if delta == 0:
        raise errors.InvalidArgumentError(None, None, f"Requires delta != 0: {delta}")
    if delta > 0 and start > limit:
        raise errors.InvalidArgumentError(
            None, None, f"Requires start <= limit when delta > 0: {start}/{limit}")
    if delta < 0 and start < limit:
        raise errors.InvalidArgumentError(
            None, None, f"Requires start >= limit when delta < 0: {start}/{limit}")


@register_kernel("Range")
def range_kernel(ctx: KernelContext, inputs: list) -> list:
    start, limit, delta = (np.asarray(x).item() for x in inputs)
    check_range(start, limit, delta)
    return [np.arange(start, limit, delta, dtype=ctx.attrs["Tidx"].as_numpy_dtype)]
