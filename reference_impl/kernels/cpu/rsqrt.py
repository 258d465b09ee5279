"""``Rsqrt`` (``1 / sqrt(x)``) and ``RsqrtGrad`` as TF's CPU kernels compute them.

Both are Eigen expressions over the flat tensor: Eigen's packet function on all but the last
``n % P`` elements (P = 8 float32s or float16s, 4 float64s), its scalar function on those.

Rsqrt: float32 packets are Eigen's fast-math ``prsqrt`` (the processor's estimate refined by
one Newton step, `eigen_rsqrt`), so about a third of them differ in the last bit from
``1 / sqrt(x)``, which the scalar tail, every float64 and every single-element tensor get
(``sqrt`` and ``/`` each rounded in the element's type). float16 packets are float32 packets
(Eigen converts a half packet to a float packet and back, rounding once), its tail is half
arithmetic (the square root rounded to half before the division). Observed on TF 2.21: every
element of 1 … 39-, 1,000- and 100,003-element tensors, 20,000 float16s, zeros, infinities, NaN
and denormals included (tests/ops/test_clip_kernels.py).

RsqrtGrad(y, dy), the gradient ``-0.5 * dy * y ** 3``: the scalar function is
``(-0.5 * (dy * y)) * (y * y)``, 0 where ``dy`` is 0; the packet function
``mul_no_nan(-0.5 * (y * y), mul_no_nan(y, dy))`` (``mul_no_nan(a, b)`` is +0 where ``b`` is 0),
so the two round in different orders and differ where ``y * dy`` underflows. Each product is
flushed (FTZ), the inputs read under DAZ.
"""

from __future__ import annotations

import numpy as np

from ..ftz import flush
from ..registry import KernelContext, register_kernel
from . import eigen_rsqrt

# Elements per packet of TF's AVX build, by dtype (others: the scalar function throughout).
PACKET = {np.dtype(np.float32): 8, np.dtype(np.float16): 8, np.dtype(np.float64): 4}


def packed(size: int, dtype: np.dtype) -> int:
    """How many leading elements of a flat tensor Eigen computes in packets."""
    p = PACKET.get(np.dtype(dtype), 0)
    return size - size % p if p else 0


def reciprocal_sqrt(x: np.ndarray) -> np.ndarray:
    """``1 / sqrt(x)`` in ``x``'s dtype, each step rounded and flushed (Eigen's scalar rsqrt)."""
    with np.errstate(all="ignore"):
        return flush(x.dtype.type(1) / flush(np.sqrt(x)))


def rsqrt(x: np.ndarray) -> np.ndarray:
    """TF's Rsqrt of ``x`` (any shape)."""
    x = np.asarray(x)
    if x.dtype not in (np.float32, np.float16):
        return reciprocal_sqrt(x)
    flat = flush(x).reshape(-1)
    cut = packed(flat.size, x.dtype)
    out = np.empty_like(flat)
    if cut:
        packets = np.ascontiguousarray(flat[:cut], dtype=np.float32)
        out[:cut] = eigen_rsqrt.rsqrt_packets(packets)
    out[cut:] = reciprocal_sqrt(flat[cut:])
    return out.reshape(x.shape)


def rsqrt_grad(y: np.ndarray, dy: np.ndarray) -> np.ndarray:
    """TF's RsqrtGrad of ``y`` (Rsqrt's output) and ``dy`` (same shape)."""
    y, dy = np.asarray(y), np.asarray(dy)
    shape, dt = y.shape, y.dtype
    y, dy = np.conj(flush(y)).reshape(-1), flush(dy).reshape(-1)
    t = dt.type
    zero = t(0)
    cut = packed(y.size, dt)
    out = np.empty(y.size, dt)
    with np.errstate(all="ignore"):
        yp, gp = y[:cut], dy[:cut]
        half_cube = flush(t(-0.5) * flush(yp * yp))
        safe = np.where(gp == 0, zero, flush(yp * gp))
        out[:cut] = np.where(safe == 0, zero, flush(half_cube * safe))
        ys, gs = y[cut:], dy[cut:]
        scalar = flush(flush(t(-0.5) * flush(gs * ys)) * flush(ys * ys))
        out[cut:] = np.where(gs == 0, zero, scalar)
    return out.reshape(shape)


@register_kernel("Rsqrt")
def rsqrt_kernel(ctx: KernelContext, inputs: list) -> list:
    return [rsqrt(inputs[0])]


@register_kernel("RsqrtGrad")
def rsqrt_grad_kernel(ctx: KernelContext, inputs: list) -> list:
    return [rsqrt_grad(inputs[0], inputs[1])]


__all__ = ["PACKET", "packed", "reciprocal_sqrt", "rsqrt", "rsqrt_grad"]
