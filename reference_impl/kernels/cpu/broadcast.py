"""CPU kernel: ``BroadcastTo`` (TF's gradients of reductions over shapes known only when run use
it: a graph imported from TensorFlow may hold one)."""

from __future__ import annotations

import numpy as np

from ..registry import KernelContext, register_kernel


@register_kernel("BroadcastTo")
def broadcast_to(ctx: KernelContext, inputs: list) -> list:
    x, shape = inputs
    return [np.array(np.broadcast_to(x, tuple(np.asarray(shape).tolist())))]
