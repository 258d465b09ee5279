"""Compiled (numba) forms of the fused training updates and of AssignAdd / AssignSub, one pass
over the variable and slots.

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


@njit(inline="always")
def _flushed(x: Any, tiny: Any, zero: Any) -> Any:
    """``x``, or a zero of its sign where it is denormal (``ftz.flush`` of one element)."""
    return x * zero if abs(x) < tiny else x


@njit(cache=True, nogil=True, error_model="numpy")
def apply_adam(var: Any, m: Any, v: Any, grad: Any, alpha: Any, one_minus_beta1: Any,
               one_minus_beta2: Any, beta1: Any, eps: Any, nesterov: bool, tiny: Any, zero: Any) -> None:
    """``m += (g - m) * (1 - beta1)``, ``v += (g * g - v) * (1 - beta2)``, then
    ``var -= (m * alpha) / (sqrt(v) + eps)`` (nesterov: ``(g * (1 - beta1) + beta1 * m)`` in
    place of ``m``), flattened arrays of one dtype.

    With FTZ / DAZ as `reference_impl.kernels.ftz.flushing` gives a kernel: each element of
    var, m, v and grad is read flushed (below ``tiny``) and each result stored flushed, while the
    update goes on with the unflushed m and v it computed, as the numpy kernel's arrays are
    flushed only after it. One pass instead of seven scans of 1M-element arrays per step.
    ``tiny = 0`` flushes nothing."""
    for i in range(var.size):
        g = _flushed(grad[i], tiny, zero)
        m0 = _flushed(m[i], tiny, zero)
        mi = m0 + (g - m0) * one_minus_beta1
        m[i] = _flushed(mi, tiny, zero)
        v0 = _flushed(v[i], tiny, zero)
        vi = v0 + (g * g - v0) * one_minus_beta2
        v[i] = _flushed(vi, tiny, zero)
        # A loop-invariant branch: LLVM unswitches it and still vectorises each loop.
        num = ((g * one_minus_beta1 + beta1 * mi) if nesterov else mi) * alpha
        var[i] = _flushed(_flushed(var[i], tiny, zero) - num / (np.sqrt(vi) + eps), tiny, zero)


@njit(cache=True, nogil=True, error_model="numpy")
def assign_update(var: Any, value: Any, subtract: bool, tiny: Any, zero: Any) -> None:
    """AssignAdd / AssignSub with FTZ / DAZ in one pass: ``var[i]`` and ``value[i]`` read
    flushed, their sum or difference stored flushed (``tiny = 0`` flushes nothing); flattened
    arrays of one dtype. Element i is read before it is written, so ``value`` may alias ``var``."""
    for i in range(var.size):
        a = _flushed(var[i], tiny, zero)
        b = _flushed(value[i], tiny, zero)
        # A loop-invariant branch: LLVM unswitches it and still vectorises each loop.
        var[i] = _flushed((a - b) if subtract else (a + b), tiny, zero)


@njit(cache=True, nogil=True, error_model="numpy")
def apply_gradient_descent(var: Any, delta: Any, alpha: Any, tiny: Any, zero: Any) -> None:
    """``var -= delta * alpha``, flushed as `apply_adam` is."""
    for i in range(var.size):
        var[i] = _flushed(_flushed(var[i], tiny, zero) - _flushed(delta[i], tiny, zero) * alpha, tiny, zero)


@njit(cache=True, nogil=True, error_model="numpy")
def apply_momentum(var: Any, accum: Any, grad: Any, lr: Any, momentum: Any, nesterov: bool, tiny: Any,
                   zero: Any) -> None:
    """``accum = accum * momentum + grad``, then ``var -= accum * lr`` (nesterov:
    ``grad * lr + accum * momentum * lr``), flushed as `apply_adam` is: the update goes on with
    the unflushed accum it computed."""
    for i in range(var.size):
        g = _flushed(grad[i], tiny, zero)
        a = _flushed(accum[i], tiny, zero) * momentum + g
        accum[i] = _flushed(a, tiny, zero)
        step = (g * lr + a * momentum * lr) if nesterov else a * lr
        var[i] = _flushed(_flushed(var[i], tiny, zero) - step, tiny, zero)
