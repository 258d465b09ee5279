"""Compiled (numba) element-wise Add / Sub / Mul / RealDiv with FTZ / DAZ in the same pass.

`reference_impl.kernels.ftz.flushing` gives a kernel FTZ / DAZ by scanning every floating input
for denormals before it runs and its output after: three scans and a pass for one add of two
1M-element arrays. Here each element is read flushed and each result stored flushed, in the loop
that computes it. The arithmetic is one IEEE operation per element in the arrays' dtype (numba
compiles without ``fastmath``), so the bits are those of the numpy ufunc between the scans.

numba is optional: ``math.py`` loads this module through `optional_jit` for large inputs only,
and falls back to the numpy kernel, wrapped in the scans, without it.
"""

from __future__ import annotations

from typing import Any

from numba import njit

ADD, SUB, MUL, DIV = 0, 1, 2, 3


@njit(inline="always")
def _flushed(x: Any, tiny: Any, zero: Any) -> Any:
    return x * zero if abs(x) < tiny else x


@njit(inline="always")
def _apply(op: int, a: Any, b: Any) -> Any:
    if op == ADD:
        return a + b
    if op == SUB:
        return a - b
    if op == MUL:
        return a * b
    return a / b


@njit(cache=True, nogil=True, error_model="numpy")
def arrays(op: int, x: Any, y: Any, out: Any, tiny: Any, zero: Any) -> None:
    """``out = x op y`` over flat arrays of one dtype, flushed."""
    for i in range(out.size):
        out[i] = _flushed(_apply(op, _flushed(x[i], tiny, zero), _flushed(y[i], tiny, zero)), tiny, zero)


@njit(cache=True, nogil=True, error_model="numpy")
def array_scalar(op: int, x: Any, y: Any, out: Any, tiny: Any, zero: Any) -> None:
    """``out = x op y`` for a flat array ``x`` and an already flushed scalar ``y``, flushed."""
    for i in range(out.size):
        out[i] = _flushed(_apply(op, _flushed(x[i], tiny, zero), y), tiny, zero)


@njit(cache=True, nogil=True, error_model="numpy")
def scalar_array(op: int, x: Any, y: Any, out: Any, tiny: Any, zero: Any) -> None:
    """``out = x op y`` for an already flushed scalar ``x`` and a flat array ``y``, flushed."""
    for i in range(out.size):
        out[i] = _flushed(_apply(op, x, _flushed(y[i], tiny, zero)), tiny, zero)
