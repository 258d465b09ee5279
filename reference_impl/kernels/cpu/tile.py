"""CPU kernel: ``Tile`` (used by the gradients of reductions over static shapes, as TF's)."""

from __future__ import annotations

import numpy as np

from ..registry import KernelContext, register_kernel


@register_kernel("Tile")
def tile(ctx: KernelContext, inputs: list) -> list:
    x, multiples = inputs
    return [np.tile(x, tuple(int(m) for m in np.ravel(multiples)))]
