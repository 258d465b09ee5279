"""GPU kernel: ``Conv2D``, one thread per output element, NHWC or NCHW, grouped, strided, dilated,
SAME/VALID padding as the CPU kernel pads.

The CPU kernel (kernels/cpu/nn.py) starts from zeros and adds one term per filter tap, taps in
row-major (kh, kw) order; each tap's term is a dot product over the group's input channels
(numpy's matmul). This kernel sums in the same order: ``acc = 0``, then ``acc = acc + tap`` for
each tap in turn, one rounding per addition, where ``tap`` is the channel dot product taken left
to right. Positions in the padding read 0 and are multiplied like any other (0 * inf is NaN on
both sides). Only the order inside one tap's dot product is BLAS's own on the CPU, so results
are bit-identical whenever those dot products are exact (one input channel per group, small
integers), and within a few ULPs otherwise.
"""

from __future__ import annotations

import numpy as np
from numba import cuda

from ..cpu.nn import _pads
from ..registry import GPU, KernelContext, register_kernel
from . import runtime

# Layout of the kernel's int64 parameter vector.
_N, _H, _W, _C, _KH, _KW, _KIN, _KOUT, _OH, _OW = range(10)
_TOP, _LEFT, _SH, _SW, _DH, _DW, _PER_GROUP = range(10, 17)
_XS, _OS = 17, 21  # x's and out's element strides, each (n, h, w, c) in logical NHWC order


@cuda.jit
def conv2d_kernel(x, w, out, p, zero):  # type: ignore[no-untyped-def]
    i = cuda.grid(1)
    stride = cuda.gridsize(1)
    kout, ow, oh = p[_KOUT], p[_OW], p[_OH]
    kh, kw, kin = p[_KH], p[_KW], p[_KIN]
    while i < out.size:
        # i runs over the logical (n, oh, ow, kout) positions; out's strides place them.
        co = i % kout
        rest = i // kout
        ox = rest % ow
        rest = rest // ow
        oy = rest % oh
        b = rest // oh
        c0 = (co // p[_PER_GROUP]) * kin
        acc = zero
        for ti in range(kh):
            r = oy * p[_SH] + ti * p[_DH] - p[_TOP]
            for tj in range(kw):
                col = ox * p[_SW] + tj * p[_DW] - p[_LEFT]
                inside = r >= 0 and r < p[_H] and col >= 0 and col < p[_W]
                base = b * p[_XS] + r * p[_XS + 1] + col * p[_XS + 2]
                tap = zero
                for ci in range(kin):
                    xv = x[base + (c0 + ci) * p[_XS + 3]] if inside else zero
                    prod = xv * w[((ti * kw + tj) * kin + ci) * kout + co]
                    tap = prod if ci == 0 else tap + prod
                acc = acc + tap
        out[b * p[_OS] + oy * p[_OS + 1] + ox * p[_OS + 2] + co * p[_OS + 3]] = acc
        i += stride


def _nhwc_strides(shape: tuple[int, ...], nchw: bool) -> list[int]:
    """Element strides of a C-contiguous array of ``shape``, listed in (n, h, w, c) order."""
    s = [1] * 4
    for axis in range(2, -1, -1):
        s[axis] = s[axis + 1] * shape[axis + 1]
    return [s[0], s[2], s[3], s[1]] if nchw else s


@register_kernel("Conv2D", GPU)
def conv2d(ctx: KernelContext, inputs: list) -> list:
    x, w = (runtime.to_device(a) for a in inputs)
    nchw = ctx.attrs.get("data_format") == "NCHW"
    strides, dilations = list(ctx.attrs["strides"]), list(ctx.attrs["dilations"])
    if nchw:
        n, c, h, wd = x.shape
        strides = [strides[0], strides[2], strides[3], strides[1]]
        dilations = [dilations[0], dilations[2], dilations[3], dilations[1]]
    else:
        n, h, wd, c = x.shape
    kh, kw, kin, kout = w.shape
    oh, top, _ = _pads(h, kh, strides[1], dilations[1], ctx.attrs["padding"])
    ow, left, _ = _pads(wd, kw, strides[2], dilations[2], ctx.attrs["padding"])
    groups = c // kin if kin else 1
    dtype = np.result_type(x.dtype, w.dtype)
    out_shape = (n, kout, oh, ow) if nchw else (n, oh, ow, kout)
    out = runtime.empty(out_shape, dtype)
    params = [n, h, wd, c, kh, kw, kin, kout, oh, ow, top, left, strides[1], strides[2],
              dilations[1], dilations[2], max(1, kout // groups)]
    params += _nhwc_strides(x.shape, nchw) + _nhwc_strides(out_shape, nchw)
    runtime.launch(conv2d_kernel, out.size, runtime.flat(x), runtime.flat(w), runtime.flat(out),
                   runtime.shape_array(params), dtype.type(0))
    if out.dtype != x.dtype:  # the CPU kernel's astype(x.dtype)
        from .cast import cast_kernel_for

        converted = runtime.empty(out.shape, x.dtype)
        runtime.launch(cast_kernel_for(x.dtype), out.size, runtime.flat(out),
                       runtime.flat(converted))
        out = converted
    return [out]
