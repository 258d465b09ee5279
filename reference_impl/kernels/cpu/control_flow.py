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


@register_kernel("Assert")
def assert_(ctx: KernelContext, inputs: list) -> list:
    """``Assert``: nothing when the condition holds; else the run fails with the data (at most
    ``summarize`` elements of each) in TF's message."""
    from ... import errors
    condition, data = inputs[0], inputs[1:]
    if bool(np.asarray(condition)):
        return []
    n = ctx.attrs.get("summarize", 3)
    parts = []
    for x in data:
        arr = np.asarray(x)
        if arr.dtype.kind in "SO" and arr.ndim == 0:
            v = arr.item()
            parts.append(v.decode() if isinstance(v, bytes) else str(v))
        else:
            flat = arr.reshape(-1)[:n]
            text = " ".join(str(v).lower() if arr.dtype == np.bool_ else str(v) for v in flat)
            parts.append(text + ("..." if arr.size > n else ""))
    raise errors.InvalidArgumentError(
        None, None, "assertion failed: " + " ".join(f"[{p}]" for p in parts))
