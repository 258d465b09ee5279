"""CPU kernels: NoOp and the Switch/Merge conditional (see control_flow_ops)."""

from __future__ import annotations

import numpy as np

from ..registry import DEAD, KernelContext, register_kernel


@register_kernel("NoOp")
def no_op(ctx: KernelContext, inputs: list) -> list:
    return []


@register_kernel("Switch")
@register_kernel("RefSwitch")
def switch(ctx: KernelContext, inputs: list) -> list:
    data, pred = inputs
    return [DEAD, data] if bool(pred) else [data, DEAD]


@register_kernel("Merge")
def merge(ctx: KernelContext, inputs: list) -> list:
    for i, x in enumerate(inputs):
        if x is not DEAD:
            return [x, np.int32(i)]
    return [DEAD, DEAD]
