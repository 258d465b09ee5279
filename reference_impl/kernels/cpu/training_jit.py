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

    With FTZ / DAZ as `reference_impl.kernels.ftz.flushing_each_operation` gives the numpy
    kernel: each element of var, m, v and grad is read flushed (below ``tiny``) and the result
    of every operation flushed, as an FTZ core flushes each instruction's result. One pass
    instead of a scan per operation over 1M-element arrays per step. ``tiny = 0`` flushes
    nothing."""
    for i in range(var.size):
        g = _flushed(grad[i], tiny, zero)
        m0 = _flushed(m[i], tiny, zero)
        mi = _flushed(m0 + _flushed(_flushed(g - m0, tiny, zero) * one_minus_beta1, tiny, zero),
                      tiny, zero)
        m[i] = mi
        v0 = _flushed(v[i], tiny, zero)
        vi = _flushed(v0 + _flushed(_flushed(_flushed(g * g, tiny, zero) - v0, tiny, zero)
                                    * one_minus_beta2, tiny, zero), tiny, zero)
        v[i] = vi
        # A loop-invariant branch: LLVM unswitches it and still vectorises each loop.
        if nesterov:
            num = _flushed(_flushed(_flushed(g * one_minus_beta1, tiny, zero)
                                    + _flushed(beta1 * mi, tiny, zero), tiny, zero) * alpha, tiny, zero)
        else:
            num = _flushed(mi * alpha, tiny, zero)
        denom = _flushed(_flushed(np.sqrt(vi), tiny, zero) + eps, tiny, zero)
        var[i] = _flushed(_flushed(var[i], tiny, zero) - _flushed(num / denom, tiny, zero), tiny, zero)


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
    """``var -= delta * alpha``, every operation flushed as `apply_adam`'s."""
    for i in range(var.size):
        step = _flushed(_flushed(delta[i], tiny, zero) * alpha, tiny, zero)
        var[i] = _flushed(_flushed(var[i], tiny, zero) - step, tiny, zero)


@njit(cache=True, nogil=True, error_model="numpy")
def apply_momentum(var: Any, accum: Any, grad: Any, lr: Any, momentum: Any, nesterov: bool, tiny: Any,
                   zero: Any) -> None:
    """``accum = accum * momentum + grad``, then ``var -= accum * lr`` (nesterov:
    ``grad * lr + accum * momentum * lr``), every operation flushed as `apply_adam`'s."""
    for i in range(var.size):
        g = _flushed(grad[i], tiny, zero)
        a = _flushed(_flushed(_flushed(accum[i], tiny, zero) * momentum, tiny, zero) + g, tiny, zero)
        accum[i] = a
        if nesterov:
            step = _flushed(_flushed(g * lr, tiny, zero)
                            + _flushed(_flushed(a * momentum, tiny, zero) * lr, tiny, zero), tiny, zero)
        else:
            step = _flushed(a * lr, tiny, zero)
        var[i] = _flushed(_flushed(var[i], tiny, zero) - step, tiny, zero)
