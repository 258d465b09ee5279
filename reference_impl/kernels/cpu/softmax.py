"""CPU kernels: Softmax and LogSoftmax, as TF's SoftmaxEigenImpl computes them.

Over the last dimension of ``logits`` flattened to [batch, classes]:

- softmax: ``e = exp(logits - max)`` assigned on its own (Eigen's packets over the whole flat
  tensor, C's expf on its last n % 8 elements: `eigen_math.EXP`), then ``e * (1 / sum(e))`` with
  each row summed in Eigen's inner-dimension order (`reduce._reduce_float`). The reciprocal of a
  batch's sums is exact on its last ``batch % 8`` rows; TF computes the others in packets with
  the processor's reciprocal estimate (``rcpps``) refined by a Newton step, whose bits depend on
  the processor: the reference divides exactly there (so a batch of 8 or more rows may differ
  from TF in the last bit of some rows).
- log-softmax: ``shifted - log(sum(exp(shifted)))``, the exp fused into the row reduction (so
  each row has its own packets and scalar tail) and the log over the batch vector's packets.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..ftz import flush
from ..registry import KernelContext, register_kernel
from . import eigen_math
from .reduce import _reduce_float


def _rows(logits: np.ndarray) -> np.ndarray:
    classes = logits.shape[-1] if logits.ndim else 1
    return np.ascontiguousarray(logits).reshape(-1, classes)


def _row_sums(e: np.ndarray) -> np.ndarray:
    if e.dtype in eigen_math.PACKET:
        return np.asarray(_reduce_float(e, {1}, np.add, 0.0)).reshape(e.shape[0])
    return np.sum(e, axis=1, dtype=e.dtype)


def _exp_per_row(shifted: np.ndarray) -> np.ndarray:
    """exp of each row as a reduction's input reads it: packets from the row's start, C's
    function on the row's last ``classes % P`` elements."""
    rows, classes = shifted.shape
    out = np.empty_like(shifted)
    size = eigen_math.PACKET.get(shifted.dtype, 8)
    packed = classes - classes % size
    if packed:
        out[:, :packed] = eigen_math.EXP(shifted[:, :packed].reshape(-1)).reshape(rows, packed)
    if packed < classes:
        out[:, packed:] = eigen_math.exp_one_by_one(shifted[:, packed:])
    return out


def softmax(logits: Any, log: bool) -> np.ndarray:
    x = np.asarray(logits)
    if x.ndim < 1:
        raise ValueError("logits must have at least one dimension")
    if not x.size:  # (TF's kernel computes nothing: an empty output of the logits' shape)
        return np.empty_like(x)
    rows = flush(_rows(x))
    t = rows.dtype.type
    with np.errstate(all="ignore"):
        shifted = flush(rows - np.max(rows, axis=1, keepdims=True))
        if log:
            sums = _row_sums(_exp_per_row(shifted))
            out = flush(shifted - eigen_math.LOG(sums)[:, None])
        else:
            e = eigen_math.EXP(shifted.reshape(-1)).reshape(shifted.shape)
            out = flush(e * flush(t(1) / _row_sums(e))[:, None])
    return np.asarray(out, dtype=x.dtype).reshape(x.shape)


@register_kernel("Softmax")
def softmax_kernel(ctx: KernelContext, inputs: list) -> list:
    return [softmax(inputs[0], log=False)]


@register_kernel("LogSoftmax")
def log_softmax_kernel(ctx: KernelContext, inputs: list) -> list:
    return [softmax(inputs[0], log=True)]
