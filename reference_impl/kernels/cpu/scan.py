"""CPU kernels: ``Cumsum`` and ``Cumprod``, bit for bit as TensorFlow's CPU kernel computes them.

TF's ScanOp views the input as (outer, n, inner) around the axis and runs Eigen's scan: every
line along the axis is accumulated sequentially, in the element type, starting from the
reducer's identity, the accumulator as the left operand:

* ``acc = identity; acc = acc + x[0]; acc = acc + x[1]; ...`` (so an inclusive Cumsum of
  -0.0 is +0.0, and of two NaNs the earlier one's payload is kept);
* ``exclusive`` writes the accumulator before adding the element (the first output is the
  identity), ``reverse`` scans the reversed line and reverses the result back;
* a complex product is C++'s textbook one, every operation rounded (`_complex_products`).

TF's CPU threads run with FTZ / DAZ (``kernels/ftz.py``), and a scan writes every partial
result: denormal inputs read as zeros of their sign, and each partial result that rounds to a
denormal becomes a zero of its sign *before* the next element is added (Cumsum of [2e-38,
-1.5e-38, 1.4e-38] is [2e-38, 0, 1.4e-38] in float32, not [.., 5e-39, 1.9e-38]). So the
kernels flush themselves (`computes_ftz`): numpy's sequential ``ufunc.accumulate`` computes
the same values whenever no partial result is denormal, and a line-by-line loop that flushes
each step takes over when one is.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ... import errors
from ..ftz import computes_ftz, flush, smallest_normal
from ..registry import KernelContext, register_kernel
from ..shape_text import debug_string

_UFUNCS = {"Cumsum": np.add, "Cumprod": np.multiply}
_IDENTITIES = {"Cumsum": 0, "Cumprod": 1}


def scan_axis(rank: int, axis_input: object) -> int:
    """The scan axis, made non-negative, checked as TF's ScanOp checks it. Its range message
    gives the axis after adding the rank to a negative one (-3 on a matrix "got -1")."""
    axis_arr = np.asarray(axis_input)
    if axis_arr.ndim != 0:
        raise errors.InvalidArgumentError(
            None, None, f"ScanOp: axis must be a scalar, not {debug_string(axis_arr.shape)}")
    axis = int(axis_arr)
    if axis < 0:
        axis += rank
    if not 0 <= axis < rank:
        raise errors.InvalidArgumentError(
            None, None, f"ScanOp: Expected scan axis in the range [{-rank}, {rank}), but got {axis}")
    return axis


def lines_view(shape: tuple[int, ...], axis: int) -> tuple[int, int, int]:
    """(outer, n, inner): the input seen as TF's ScanOp reshapes it around ``axis``."""
    outer = int(np.prod(shape[:axis], dtype=np.int64))
    inner = int(np.prod(shape[axis + 1:], dtype=np.int64))
    return outer, int(shape[axis]), inner


def _flushing_accumulate(steps: np.ndarray, ufunc: Any) -> np.ndarray:
    """``ufunc.accumulate`` along axis 1 with each partial result flushed before the next step
    (FTZ), one step across all lines at a time."""
    out = np.empty_like(steps)
    acc = steps[:, 0, :]
    out[:, 0, :] = acc
    for k in range(1, steps.shape[1]):
        acc = flush(ufunc(acc, steps[:, k, :]))
        out[:, k, :] = acc
    return out


def _sticky_nans(out: np.ndarray) -> np.ndarray:
    """(outer, n, inner) ``out`` with every value after a line's first NaN replaced by that NaN.

    TF's accumulator is the left operand, and x86 returns the left operand's NaN when both are
    NaNs, so once a partial result is a NaN it stays that very NaN (sign and payload). numpy's
    float32 / float64 loops keep it too, its float16 loops return the right one's."""
    nans = np.isnan(out)
    if not nans.any():
        return out
    after = np.logical_or.accumulate(nans, axis=1)
    first = np.take_along_axis(out, np.argmax(nans, axis=1)[:, None, :], axis=1)
    return np.where(after, first, out)


def _complex_products(x: np.ndarray) -> np.ndarray:
    """The inclusive Cumprod of complex (outer, n, inner) ``x`` along axis 1, from 1 + 0j, with
    C++'s textbook product (ar br - ai bi, ar bi + ai br), every operation rounded: what TF
    gives. numpy's ``multiply.accumulate`` sometimes runs its SIMD complex loop, which rounds
    otherwise (short lines with a wide inner dimension, on an FMA machine)."""
    out = np.empty_like(x)
    acc_re = np.ones(x[:, 0, :].shape, x.real.dtype)
    acc_im = np.zeros_like(acc_re)
    for k in range(x.shape[1]):
        br, bi = x.real[:, k, :], x.imag[:, k, :]
        acc_re, acc_im = acc_re * br - acc_im * bi, acc_re * bi + acc_im * br
        out.real[:, k, :] = acc_re
        out.imag[:, k, :] = acc_im
    return out


def _inclusive(x: np.ndarray, op: str) -> np.ndarray:
    """The inclusive scan of (outer, n, inner) ``x`` along axis 1, with TF's identity start and
    FTZ / DAZ for float32 and float64."""
    if op == "Cumprod" and x.dtype.kind == "c":
        return _complex_products(x)
    ufunc = _UFUNCS[op]
    identity = x.dtype.type(_IDENTITIES[op])
    tiny = smallest_normal(x.dtype)
    if tiny is not None:
        x = flush(x)  # DAZ: a denormal element is read as a zero
    steps = np.array(x, copy=True)
    # The first step is identity (op) x[0], not x[0] itself: 0 + -0.0 is +0.0. Later steps
    # combine the accumulator (left) with the element, as ufunc.accumulate does.
    steps[:, 0, :] = ufunc(identity, x[:, 0, :])
    out = ufunc.accumulate(steps, axis=1, dtype=x.dtype)
    if tiny is not None and flush(out) is not out:
        # A partial result was denormal: FTZ would have flushed it before the next step.
        out = _flushing_accumulate(steps, ufunc)
    if x.dtype.kind == "f":  # (a complex NaN's parts go on changing: not sticky)
        out = _sticky_nans(out)
    return out


def scan(x: np.ndarray, axis: int, op: str, exclusive: bool, reverse: bool) -> np.ndarray:
    """``op`` ("Cumsum" or "Cumprod") of ``x`` along ``axis`` as TF's CPU kernel computes it."""
    shape = x.shape
    if x.size == 0:
        return np.empty(shape, x.dtype)
    lines = x.reshape(lines_view(shape, axis))
    if reverse:
        lines = lines[:, ::-1, :]
    with np.errstate(all="ignore"):  # overflow to inf, inf - inf: as TF, silently
        inclusive = _inclusive(lines, op)
    if exclusive:
        out = np.empty_like(inclusive)
        out[:, 0, :] = _IDENTITIES[op]
        out[:, 1:, :] = inclusive[:, :-1, :]
    else:
        out = inclusive
    if reverse:
        out = out[:, ::-1, :]
    return np.ascontiguousarray(out).reshape(shape)


def _scan_kernel(op: str) -> Any:
    @computes_ftz  # flushes each partial result itself (see the module's docstring)
    def kernel(ctx: KernelContext, inputs: list) -> list:
        x = np.asarray(inputs[0])
        axis = scan_axis(x.ndim, inputs[1])
        return [scan(x, axis, op, bool(ctx.attrs.get("exclusive", False)),
                     bool(ctx.attrs.get("reverse", False)))]

    kernel.__name__ = kernel.__qualname__ = op.lower()
    kernel.__doc__ = f"``{op}``: the running {'sum' if op == 'Cumsum' else 'product'} along an axis."
    return kernel


cumsum = register_kernel("Cumsum")(_scan_kernel("Cumsum"))
cumprod = register_kernel("Cumprod")(_scan_kernel("Cumprod"))
