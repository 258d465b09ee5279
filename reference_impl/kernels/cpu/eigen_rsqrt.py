"""``x.rsqrt()`` as TF's Eigen expressions compute it on the CPU (Adagrad's and RMSProp's
updates): Eigen's fast-math packet function on all but the last ``n % 8`` float32s of each
evaluation, ``1 / sqrt(x)`` on those.

TF 2.21 is built for AVX without FMA and with ``EIGEN_FAST_MATH``: ``prsqrt<Packet8f>`` takes the
processor's ``rsqrtps`` estimate ``y`` and refines it once (``generic_rsqrt_newton_step``):
``y + (y * -0.5) * ((x * y) * y - 1)``, each multiply and add rounded on its own (and flushed:
TF's FTZ), keeping the estimate where that gives NaN (x = 0 or infinity). The result is not
``1 / sqrt(x)``: a third of float32 inputs differ in the last bit, and which ones depends on the
processor's estimate table (Intel's and AMD's differ), which `rsqrt_x86` reads from the
processor itself. float64 packets divide (there is no double estimate), so every float64, and
every float32 past the packets, is ``1 / sqrt(x)`` rounded twice. Observed on TF 2.21 (the
whole of a 100,003-element Rsqrt, bit for bit, and tests/ops/test_sparse_training_bits.py).

Without numba the estimate is unavailable and the packets get ``1 / sqrt(x)`` too (an ULP off
where Eigen's refinement is).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..ftz import flush
from . import optional_jit

_F32 = np.dtype(np.float32)
PACKET = 8  # float32s per AVX packet


def _reciprocal_sqrt(x: np.ndarray) -> np.ndarray:
    """``1 / sqrt(x)``, each rounded and flushed (Eigen's scalar ``numext::rsqrt``)."""
    with np.errstate(all="ignore"):
        return flush(x.dtype.type(1) / flush(np.sqrt(x)))


def hardware_estimate_available() -> bool:
    """Whether the processor's ``rsqrtps`` can be read here (numba on x86)."""
    return optional_jit.load("rsqrt_x86") is not None


def rsqrt_packets(x: np.ndarray) -> np.ndarray:
    """Eigen's ``prsqrt`` of float32 ``x`` (already flushed), element by element as a packet
    computes it; other dtypes (and a machine without the estimate) ``1 / sqrt(x)``."""
    jit = optional_jit.load("rsqrt_x86") if x.dtype == _F32 else None
    if jit is None:
        return _reciprocal_sqrt(x)
    t = x.dtype.type
    approx = jit.estimate(x)
    with np.errstate(all="ignore"):
        r2 = flush(x * approx)
        half_r = flush(approx * t(-0.5))
        h = flush(flush(r2 * approx) + t(-1))
        refined = flush(flush(half_r * h) + approx)
    return np.where(np.isnan(refined), approx, refined)


def rsqrt_rows(x: np.ndarray) -> np.ndarray:
    """``rsqrt`` of each row of the 2-D ``x`` as an Eigen expression over one row (a chip of
    ``inner`` elements) evaluates it: packets for the first ``inner - inner % 8`` columns
    (float32), ``1 / sqrt`` for the rest."""
    inner = x.shape[-1]
    cut = inner - inner % PACKET if x.dtype == _F32 else 0
    if cut == 0:
        return _reciprocal_sqrt(x)
    out = np.empty_like(x)
    out[..., :cut] = rsqrt_packets(np.ascontiguousarray(x[..., :cut]))
    out[..., cut:] = _reciprocal_sqrt(x[..., cut:])
    return out
