"""Compiled (numba) form of Eigen's ``InnerMostDimReducer`` for float32 / float64 Sum and Prod.

The numpy version in ``reduce.py`` is the specification; this module computes the very same
float operations in the very same order, only without numpy's per-call overhead: numpy has to
reduce the four packet accumulators of every leaf through inner loops of 32 values, which costs
several times the memory traffic of the data. Nothing here reorders an operation: numba compiles
without ``fastmath``, so LLVM may only vectorise across the independent packet lanes.

numba is optional: this module imports it, and ``reduce.py`` loads this module through
`optional_jit` only for large float reductions, once loading it pays, falling back to numpy
when the import fails or ``TFCONF_NO_NUMBA`` is set (the tests use that to check that both paths give identical bits).
Compiled code is cached beside the source (``cache=True``), so only the first process pays for
compiling; the functions are module-level and free of recursion because numba cannot cache
closures or recursive functions.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numba import njit

LEAF = 1024  # Eigen's LeafSize for float / double (reduce._LEAF)
_MAX_DEPTH = 64  # a split tree over at most 2**63 values is never deeper


@njit(cache=True, nogil=True)
def _combine(a: Any, b: Any, prod: bool) -> Any:
    return a * b if prod else a + b


@njit(cache=True, nogil=True)
def _leaf(x: Any, lo: int, n: int, size: int, prod: bool, init: Any) -> Any:
    """reduce._leaf for ``x[lo:lo + n]``.

    Four packet accumulators (``acc[k * size + lane]``) over the unrolled part, added
    ((p0 + p1) + p2) + p3, then the remaining whole packets, then the tail sequentially from
    ``init``, and ``tail op predux(packet)``, predux folding packet halves. The hot loops take
    one 4-packet row at a time (a contiguous slice, one loop per op) so that LLVM vectorises
    across the lanes.
    """
    w = 4 * size
    unrolled = n // w * w
    acc = np.empty(w, x.dtype)
    acc[:] = init
    # Four rows per step: each lane still takes its values one after the other, but its
    # accumulator is loaded and stored once per four rows instead of once per row.
    quad = lo + unrolled // (4 * w) * (4 * w)
    if prod:
        for j in range(lo, quad, 4 * w):
            r0, r1 = x[j:j + w], x[j + w:j + 2 * w]
            r2, r3 = x[j + 2 * w:j + 3 * w], x[j + 3 * w:j + 4 * w]
            for m in range(w):
                acc[m] = (((acc[m] * r0[m]) * r1[m]) * r2[m]) * r3[m]
        for j in range(quad, lo + unrolled, w):
            row = x[j:j + w]
            for m in range(w):
                acc[m] *= row[m]
    else:
        for j in range(lo, quad, 4 * w):
            r0, r1 = x[j:j + w], x[j + w:j + 2 * w]
            r2, r3 = x[j + 2 * w:j + 3 * w], x[j + 3 * w:j + 4 * w]
            for m in range(w):
                acc[m] = (((acc[m] + r0[m]) + r1[m]) + r2[m]) + r3[m]
        for j in range(quad, lo + unrolled, w):
            row = x[j:j + w]
            for m in range(w):
                acc[m] += row[m]
    packet = np.empty(size, x.dtype)
    for lane in range(size):
        if unrolled:
            packet[lane] = _combine(_combine(_combine(acc[lane], acc[size + lane], prod),
                                             acc[2 * size + lane], prod),
                                    acc[3 * size + lane], prod)
        else:
            packet[lane] = init
    whole = n // size * size
    for j in range(unrolled, whole, size):
        for lane in range(size):
            packet[lane] = _combine(packet[lane], x[lo + j + lane], prod)
    tail = init  # already of x's dtype: inner_rows passes x.dtype.type(init)
    for j in range(max(unrolled, whole), n):
        tail = _combine(tail, x[lo + j], prod)
    width = size
    while width > 1:
        width //= 2
        for lane in range(width):
            packet[lane] = _combine(packet[lane], packet[lane + width], prod)
    return _combine(tail, packet[0], prod)


@njit(cache=True, nogil=True)
def _split(n: int, first: int, size: int) -> int:
    """Where reduce._inner_split cuts a run: the length of its left part."""
    half = -(-n // 2)
    return min(size * -(-(first + half) // size) - first, n)


@njit(cache=True, nogil=True)
def _inner(x: Any, n: int, first: int, size: int, prod: bool, init: Any) -> Any:
    """reduce._inner_split over ``x[:n]`` (a run at absolute offset ``first``), walking the
    split tree depth first with an explicit stack: left part, right part, then their sum."""
    lo_s = np.empty(_MAX_DEPTH, np.int64)
    n_s = np.empty(_MAX_DEPTH, np.int64)
    first_s = np.empty(_MAX_DEPTH, np.int64)
    stage = np.empty(_MAX_DEPTH, np.int64)  # 0: not started, 1: left done, 2: right done
    left_value = np.empty(_MAX_DEPTH, x.dtype)
    lo_s[0], n_s[0], first_s[0], stage[0] = 0, n, first, 0
    top = 1
    result = init
    while top:
        f = top - 1
        lo, m, at = lo_s[f], n_s[f], first_s[f]
        if m <= size * LEAF:
            result = _leaf(x, lo, m, size, prod, init)
            top -= 1
            continue
        left = _split(m, at, size)
        if stage[f] == 0:
            stage[f] = 1
            lo_s[top], n_s[top], first_s[top], stage[top] = lo, left, at, 0
            top += 1
        elif stage[f] == 1 and left < m:
            stage[f] = 2
            left_value[f] = result
            lo_s[top], n_s[top] = lo + left, m - left
            first_s[top], stage[top] = at + left, 0
            top += 1
        else:
            if stage[f] == 2:
                result = _combine(left_value[f], result, prod)
            top -= 1
    return result


@njit(cache=True, nogil=True)
def _rows(x: Any, firsts: Any, size: int, prod: bool, init: Any, out: Any) -> None:
    n = x.shape[1]
    for r in range(x.shape[0]):
        out[r] = _inner(x[r], n, firsts[r], size, prod, init)


def inner_rows(x: np.ndarray, firsts: np.ndarray, size: int, prod: bool,
               init: float) -> np.ndarray:
    """Each row of the matrix ``x`` reduced as ``reduce._inner`` does, row ``r`` starting at
    absolute offset ``firsts[r]`` (only its value modulo ``size`` matters)."""
    out = np.empty(x.shape[0], x.dtype)
    _rows(np.ascontiguousarray(x), np.asarray(firsts, np.int64) % size, size, prod,
          x.dtype.type(init), out)
    return out
