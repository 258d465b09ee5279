"""Compiled (numba) float32 Pow packets: `eigen_math.pow_packets` in one pass per element.

The numpy version is the specification: each array operation there is one IEEE float32
operation per element here, in the same order, each result flushed to zero when denormal
(numba compiles without ``fastmath``, so nothing is fused or reassociated). It runs about 150
array operations and as many denormal scans, 0.9 s for a million elements; this loop about a
hundredth of that. `eigen_math.pow_` uses it through `optional_jit` for large inputs only;
tests/ops/test_eigen_math_jit.py checks both give the same bits.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from numba import njit

from . import eigen_math as spec

f32 = np.float32
TINY = f32(np.finfo(np.float32).tiny)
ZERO, ONE, TWO, HALF = f32(0.0), f32(1.0), f32(2.0), f32(0.5)
INF, NAN = f32(np.inf), f32(np.nan)
VELTKAMP = f32(4097.0)
BELOW_HALF = spec._BELOW_HALF[spec._F32]
SQRT_HALF, LN2 = f32(0.70710678118654752440), f32(0.693147180559945309417232121458)
EXP2_HIGH, EXP2_LOW = f32(129.0), f32(-151.0)
HUGE = f32(f32(128.0) * f32(0.6931471805599453) / np.finfo(np.float32).eps)
P0, P1, P2, P3, P4, P5, P6, P7, P8 = (f32(c) for c in spec._LOG2_POLY)
C1_HI, C1_LO = spec._split(spec._LOG2_C1)
C0_HI, C0_LO = spec._split(spec._LOG2_C0)
EXP_HI, EXP_LO, LOG2E = f32(88.723), f32(-104.0), f32(1.44269504088896341)
EXP_C1, EXP_C2 = f32(-0.693359375), f32(2.12194440e-4)
E2, E3, E4 = f32(0.49999988079071044921875), f32(0.16666518151760101318359375), f32(4.166965186595916748046875e-2)
E5, E6 = f32(8.36894474923610687255859375e-3), f32(1.37449637986719608306884765625e-3)


@njit(inline="always")
def _fl(v: Any) -> Any:
    return v * ZERO if abs(v) < TINY else v


@njit(inline="always")
def _madd(a: Any, b: Any, c: Any) -> Any:
    return _fl(_fl(a * b) + c)


@njit(inline="always")
def _sum2(x: Any, y: Any) -> Any:
    s = _fl(x + y)
    return s, _fl(y - _fl(s - x))


@njit(cache=True, nogil=True)
def _prod2(x: Any, y: Any) -> Any:
    gx = _fl(VELTKAMP * x)
    x_hi = _fl(_fl(x - gx) + gx)
    x_lo = _fl(x - x_hi)
    gy = _fl(VELTKAMP * y)
    y_hi = _fl(_fl(y - gy) + gy)
    y_lo = _fl(y - y_hi)
    p_hi = _fl(x * y)
    p_lo = _madd(x_hi, y_hi, -p_hi)
    p_lo = _madd(x_hi, y_lo, p_lo)
    p_lo = _madd(x_lo, y_hi, p_lo)
    return p_hi, _madd(x_lo, y_lo, p_lo)


@njit(cache=True, nogil=True)
def _dw_add(x_hi: Any, x_lo: Any, y_hi: Any, y_lo: Any) -> Any:
    r_hi, r_lo = _sum2(x_hi, y_hi)
    return _sum2(r_hi, _fl(_fl(y_lo + r_lo) + x_lo))


@njit(cache=True, nogil=True)
def _dw_mul(x_hi: Any, x_lo: Any, y: Any) -> Any:
    c_hi, c_lo1 = _prod2(x_hi, y)
    t_hi, t_lo1 = _sum2(c_hi, _fl(x_lo * y))
    return _sum2(t_hi, _fl(t_lo1 + c_lo1))


@njit(cache=True, nogil=True)
def _round_half_away(a: Any) -> Any:
    below = -BELOW_HALF if (a < ZERO or (a == ZERO and math.copysign(1.0, a) < 0)) else BELOW_HALF
    return np.trunc(_fl(below + a))


@njit(cache=True, nogil=True)
def _exp(x: Any) -> Any:
    # eigen_math.exp_float32 on one flushed, non-NaN value
    if x < EXP_LO:
        return ZERO
    xc = x if x < EXP_HI else EXP_HI
    m = np.floor(_madd(xc, LOG2E, HALF))
    r = _madd(m, EXP_C1, xc)
    r = _madd(m, EXP_C2, r)
    r2 = _fl(r * r)
    p_even = _madd(r2, E6, E4)
    p_odd = _madd(r2, E5, E3)
    p_even = _madd(r2, p_even, E2)
    p_low = _fl(r + ONE)
    y = _madd(r, p_odd, p_even)
    y = _madd(r2, y, p_low)
    out = _fl(f32(math.ldexp(float(y), int(m))))
    return out if out >= x else x


@njit(cache=True, nogil=True)
def _pow_positive(x: Any, y: Any) -> Any:
    # eigen_math._pow_positive on one value: |x| ** y, x flushed and not negative
    mantissa, exponent = math.frexp(x)
    m, e = f32(mantissa), f32(exponent)
    if m < SQRT_HALF:
        m = _fl(TWO * m)
        e = _fl(e - ONE)
    v = _fl(m - ONE)
    p = P0
    for c in (P1, P2, P3, P4, P5, P6, P7, P8):
        p = _madd(p, v, c)
    p_hi, p_lo = _prod2(v, p)
    p_hi, p_lo = _dw_add(C1_HI, C1_LO, p_hi, p_lo)
    p_hi, p_lo = _dw_mul(p_hi, p_lo, v)
    p_hi, p_lo = _dw_add(C0_HI, C0_LO, p_hi, p_lo)
    r_hi, r_lo = _dw_mul(p_hi, p_lo, v)
    f1_hi, f1_lo = _prod2(e, y)
    f2_hi, f2_lo = _dw_mul(r_hi, r_lo, y)
    f_hi, f_lo = _dw_add(f1_hi, f1_lo, f2_hi, f2_lo)
    n = _round_half_away(f_hi)
    r = _fl(_fl(f_hi - n) + f_lo)
    n_r = _round_half_away(r)
    r = _fl(r - n_r)
    n = _fl(n + n_r)
    if r == r:
        r = r if r < EXP2_HIGH else EXP2_HIGH
        r = r if r > EXP2_LOW else EXP2_LOW
    e_hi, e_lo = _prod2(LN2, r)
    e_r = _fl(_exp(e_hi) * _fl(ONE + e_lo)) if e_hi == e_hi else e_hi
    if n != n:
        return f32(n)
    k = int(max(min(n, f32(1100.0)), f32(-1100.0)))
    return _fl(f32(math.ldexp(float(e_r), k)))


@njit(cache=True, nogil=True)
def _pow(x_raw: Any, y_raw: Any) -> Any:
    # eigen_math.pow_packets' rules on one pair
    x, y = _fl(x_raw), _fl(y_raw)
    if y == ONE:
        return x_raw
    if x == ONE or y == ZERO:
        return ONE
    if x != x or y != y:
        return NAN
    ax, ay = abs(x), abs(y)
    y_int = ay != INF and np.floor(y) == y
    half_y = _fl(y * HALF)
    y_odd = y_int and _round_half_away(half_y) != half_y
    if ax == INF:
        at_inf = ZERO if y < ZERO else INF
        return -at_inf if (x < ZERO and y_odd) else at_inf
    if HUGE <= ay:
        if x == -ONE:
            return ONE
        return INF if ((y < ZERO and x == ZERO) or ((y < ZERO) != (ONE < ax))) else ZERO
    if x == ZERO:
        p = INF if y < ZERO else ZERO
    elif x < ZERO and not y_int:
        return NAN
    else:
        p = _pow_positive(ax, y)
    negative = x < ZERO or (x == ZERO and math.copysign(1.0, x) < 0)
    return -p if (negative and y_odd) else p


@njit(cache=True, nogil=True, error_model="numpy")
def pow_float32(x: Any, y: Any, out: Any) -> None:
    """``out[i] = pow_packets(x[i], y[i])`` over flat float32 arrays (``y`` may be strided)."""
    for i in range(out.size):
        out[i] = _pow(x[i], y[i])
