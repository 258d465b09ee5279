"""Compiled (numba) forms of the fused training updates, one pass over the variable and slots.

``training.py`` is the specification: its numpy kernels compute each update the way
training_ops.cc's Eigen expressions do, one array operation after another. The loops here do the
very same float operations in the very same order, element by element, so a slot and the
variable are read and written once instead of once per operation (numba compiles without
``fastmath``: no operation is reordered or contracted into a fused multiply-add, so the bits are
numpy's). Scalars arrive already in the variable's dtype, keeping float32 math float32.

numba is optional: ``training.py`` loads this module through `optional_jit` only for large
updates, once loading it pays, and falls back to numpy when the import fails or ``TFCONF_NO_NUMBA`` is set. Compiled code is cached beside the
source (``cache=True``), so only the first process pays for compiling.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numba import njit


@njit(cache=True, nogil=True, error_model="numpy")
def apply_adam(var: Any, m: Any, v: Any, grad: Any, alpha: Any, one_minus_beta1: Any,
               one_minus_beta2: Any, beta1: Any, eps: Any, nesterov: bool) -> None:
    """``m += (g - m) * (1 - beta1)``, ``v += (g * g - v) * (1 - beta2)``, then
    ``var -= (m * alpha) / (sqrt(v) + eps)`` (nesterov: ``(g * (1 - beta1) + beta1 * m)`` in
    place of ``m``), flattened arrays of one dtype."""
    for i in range(var.size):
        g = grad[i]
        mi = m[i] + (g - m[i]) * one_minus_beta1
        m[i] = mi
        vi = v[i] + (g * g - v[i]) * one_minus_beta2
        v[i] = vi
        # A loop-invariant branch: LLVM unswitches it and still vectorises each loop.
        num = ((g * one_minus_beta1 + beta1 * mi) if nesterov else mi) * alpha
        var[i] = var[i] - num / (np.sqrt(vi) + eps)
