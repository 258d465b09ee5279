"""CPU kernels: ``Conv2D`` (a sum over the filter's taps of shifted input windows)."""

from __future__ import annotations

import numpy as np

from ..registry import KernelContext, register_kernel


def _pads(size: int, k: int, stride: int, dilation: int, padding: str) -> tuple[int, int, int]:
    """(output size, padding before, padding after) of one spatial dimension, as TF pads."""
    span = (k - 1) * dilation + 1
    if padding == "VALID":
        return max(0, -(-(size - span + 1) // stride)), 0, 0
    out = -(-size // stride)
    total = max((out - 1) * stride + span - size, 0)
    return out, total // 2, total - total // 2


@register_kernel("Conv2D")
def conv2d(ctx: KernelContext, inputs: list) -> list:
    x, w = (np.asarray(a) for a in inputs)
    nchw = ctx.attrs.get("data_format") == "NCHW"
    strides, dilations = ctx.attrs["strides"], ctx.attrs["dilations"]
    if nchw:
        x = np.transpose(x, (0, 2, 3, 1))
        strides, dilations = [strides[0], strides[2], strides[3], strides[1]], \
            [dilations[0], dilations[2], dilations[3], dilations[1]]
    n, h, wd, c = x.shape
    kh, kw, kin, kout = w.shape
    oh, top, bottom = _pads(h, kh, strides[1], dilations[1], ctx.attrs["padding"])
    ow, left, right = _pads(wd, kw, strides[2], dilations[2], ctx.attrs["padding"])
    xp = np.pad(x, ((0, 0), (top, bottom), (left, right), (0, 0)))
    groups = c // kin
    out = np.zeros((n, oh, ow, kout), dtype=np.result_type(x, w))
    per_group = kout // groups
    for i in range(kh):
        for j in range(kw):
            r0, c0 = i * dilations[1], j * dilations[2]
            window = xp[:, r0:r0 + (oh - 1) * strides[1] + 1:strides[1],
                        c0:c0 + (ow - 1) * strides[2] + 1:strides[2], :]
            for gidx in range(groups):
                cin = slice(gidx * kin, (gidx + 1) * kin)
                cout = slice(gidx * per_group, (gidx + 1) * per_group)
                out[..., cout] += window[..., cin] @ w[i, j][:, cout]
    out = out.astype(x.dtype)
    return [np.transpose(out, (0, 3, 1, 2)) if nchw else out]
