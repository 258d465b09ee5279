"""Exp, Log, Sin, Cos, Pow and Sigmoid as TF's CPU kernels compute them: Eigen's packet functions.

TF 2.21's element-wise kernels evaluate all but the last ``n % P`` elements of their output a
packet at a time (P = 8 float32s or 4 float64s with AVX) and those last ones one by one. The
packets call Eigen's approximations (``pexp_float``, ``plog_float``, ``psincos_float``,
``pexp_double``, ``plog_double``, ``generic_pow``, the float logistic, in Eigen's
GenericPacketMathFunctions.h and UnaryFunctors.h); they are not correctly rounded (a quarter of
float32 exps are off by an ULP), so the reference repeats them operation by operation: a build
without FMA (each multiply and add rounded on its own), every result flushed to zero when
denormal (TF's FTZ / DAZ). The last elements come from C's ``expf`` / ``logf`` / ``sinf`` /
``cosf`` / ``powf`` (``exp`` / ``log`` / ``pow`` for float64), as TF's scalar path calls them,
with TF's DAZ (glibc's logf and powf then read a denormal as 2^-150). Checked against TF's bits
on 700,000 inputs per function (tests/ops/test_transcendental_bits.py keeps a sample).

A float16 is computed so in float32 and rounded to half, as Eigen computes it. float64 Sin and
Cos are correctly rounded by numpy as TF's results are.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import functools
from typing import Any, Callable

import numpy as np

from ..ftz import flush
from . import optional_jit, parallel

_F32, _F64 = np.dtype(np.float32), np.dtype(np.float64)
PACKET = {_F32: 8, _F64: 4}

f32, f64 = np.float32, np.float64
_TINY32 = f32(np.finfo(np.float32).tiny)


def _madd(a: Any, b: Any, c: Any) -> Any:
    """Eigen's ``pmadd`` without FMA: the product rounded, then the sum rounded."""
    return flush(flush(a * b) + c)


def _horner(x: Any, coefficients: tuple) -> Any:
    """``ppolevl``: the coefficients from the highest degree down, one pmadd each."""
    p = np.full_like(x, coefficients[0])
    for c in coefficients[1:]:
        p = _madd(p, x, c)
    return p


def _scale(y: np.ndarray, m: np.ndarray) -> np.ndarray:
    """``pldexp(y, m)``: y * 2^m, exact but for the flush of a denormal result (powers of two
    multiply exactly; TF's four-factor split never underflows before its last factor)."""
    m = np.clip(np.nan_to_num(m), -1100, 1100).astype(np.int64)
    return flush(np.ldexp(y, m).astype(y.dtype))


def _exp_finish(x0: np.ndarray, y: np.ndarray, m: np.ndarray, lowest: Any) -> np.ndarray:
    out = _scale(y, m)
    out = np.where(x0 < lowest, np.zeros((), x0.dtype), out)
    # pmax(out, x): x86's max returns its second operand, out, when either is NaN.
    return np.where(np.isnan(out) | np.isnan(x0), out, np.maximum(out, x0))


def exp_float32(x: np.ndarray) -> np.ndarray:
    """``pexp_float``: exp(r) * 2^m, m = floor(x log2(e) + 1/2), a degree-6 polynomial in r."""
    x0 = flush(x)
    xc = np.where(np.isnan(x0), x0, np.minimum(x0, f32(88.723)))
    m = np.floor(_madd(xc, f32(1.44269504088896341), f32(0.5)))
    r = _madd(m, f32(-0.693359375), xc)
    r = _madd(m, f32(2.12194440e-4), r)
    r2 = flush(r * r)
    p_even = _madd(r2, f32(1.37449637986719608306884765625e-3), f32(4.166965186595916748046875e-2))
    p_odd = _madd(r2, f32(8.36894474923610687255859375e-3), f32(0.16666518151760101318359375))
    p_even = _madd(r2, p_even, f32(0.49999988079071044921875))
    p_low = flush(r + f32(1))
    y = _madd(r, p_odd, p_even)
    y = _madd(r2, y, p_low)
    return _exp_finish(x0, y, m, f32(-104.0))


def exp_float64(x: np.ndarray) -> np.ndarray:
    """``pexp_double``: Cephes' rational approximation, 2^m exp(g)."""
    x0 = flush(x)
    xc = np.where(np.isnan(x0), x0, np.minimum(x0, f64(709.784)))
    m = np.floor(_madd(f64(1.4426950408889634073599), xc, f64(0.5)))
    g = flush(xc - flush(m * f64(0.693145751953125)))
    g = flush(g - flush(m * f64(1.42860682030941723212e-6)))
    g2 = flush(g * g)
    p = flush(_horner(g2, (f64(1.26177193074810590878e-4), f64(3.02994407707441961300e-2),
                           f64(9.99999999999999999910e-1))) * g)
    q = _horner(g2, (f64(3.00198505138664455042e-6), f64(2.52448340349684104192e-3),
                     f64(2.27265548208155028766e-1), f64(2.00000000000000000009e0)))
    y = _madd(f64(2), flush(p / flush(q - p)), f64(1))
    return _exp_finish(x0, y, m, f64(-745.519))


def _log_reduce(x0: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``pfrexp`` and the shift of the mantissa to [sqrt(1/2), sqrt(2)) - 1, with its exponent."""
    t = x0.dtype.type
    mantissa, exponent = np.frexp(x0)
    e = exponent.astype(x0.dtype)
    below = mantissa < t(0.70710678118654752440)
    x = flush(mantissa - t(1))
    e = flush(e - below.astype(x0.dtype))
    return flush(x + np.where(below, mantissa, t(0))), e


def _log_finish(x0: np.ndarray, x: np.ndarray) -> np.ndarray:
    t = x0.dtype.type
    out = np.where(x0 == np.inf, t(np.inf), x)
    out = np.where((x0 < 0) | np.isnan(x0), t(np.nan), out)
    return np.where(x0 == 0, t(-np.inf), out)


def log_float32(x: np.ndarray) -> np.ndarray:
    """``plog_float``: e ln(2) + a rational approximation of log(1 + x) on the mantissa."""
    x0 = flush(x)
    m, e = _log_reduce(x0)
    p = flush(m * _horner(m, (f32(0.18256296349849254), f32(1.0000000190281063), f32(1.0000000190281136))))
    q = _horner(m, (f32(0.049616247954120038), f32(0.59923249590823520), f32(1.4999999999999927), f32(1.0)))
    return _log_finish(x0, _madd(e, f32(0.693147180559945309), flush(p / q)))


def log_float64(x: np.ndarray) -> np.ndarray:
    """``plog_double``: Cephes' log(1 + x) = x - x^2 / 2 + x^3 P(x) / Q(x), plus e ln(2)."""
    x0 = flush(x)
    m, e = _log_reduce(x0)
    m2 = flush(m * m)
    m3 = flush(m2 * m)
    # Each polynomial in two halves joined by x^3, as Eigen interleaves them.
    p = _madd(_horner(m, (f64(1.01875663804580931796e-4), f64(4.97494994976747001425e-1),
                          f64(4.70579119878881725854e0))), m3,
              _horner(m, (f64(1.44989225341610930846e1), f64(1.79368678507819816313e1),
                          f64(7.70838733755885391666e0))))
    q = _madd(_horner(m, (f64(1.0), f64(1.12873587189167450590e1), f64(4.52279145837532221105e1))), m3,
              _horner(m, (f64(8.29875266912776603211e1), f64(7.11544750618563894466e1),
                          f64(2.31251620126765340583e1))))
    y = flush(flush(p * m3) / q)
    y = _madd(f64(-0.5), m2, y)
    return _log_finish(x0, _madd(e, f64(0.693147180559945309417232121458), flush(m + y)))


# 2/pi's bits for the Payne-Hanek reduction of huge arguments, replicated so that every
# 32-bit read is one entry (Eigen's trig_reduce_huge).
_TWO_OVER_PI = (
    0x00000028, 0x000028be, 0x0028be60, 0x28be60db, 0xbe60db93, 0x60db9391, 0xdb939105, 0x9391054a,
    0x91054a7f, 0x054a7f09, 0x4a7f09d5, 0x7f09d5f4, 0x09d5f47d, 0xd5f47d4d, 0xf47d4d37, 0x7d4d3770,
    0x4d377036, 0x377036d8, 0x7036d8a5, 0x36d8a566, 0xd8a5664f, 0xa5664f10, 0x664f10e4, 0x4f10e410,
    0x10e41000, 0xe4100000)
_M32, _M64 = (1 << 32) - 1, (1 << 64) - 1


def trig_reduce_huge(value: float) -> tuple[float, int]:
    """(r, q) with |x| = q pi/2 + r, from 96 bits of 2/pi in 2.62 fixed point (Eigen's
    ``trig_reduce_huge``, for a finite float32 |x| of 18838 or more)."""
    bits = int(np.array(value, np.float32).view(np.uint32))
    e = ((bits >> 23) - 118) & _M32
    mantissa = (((bits & 0x007FFFFF) | 0x00800000) << (e & 7)) & _M32
    i = e >> 3
    p = mantissa * _TWO_OVER_PI[i + 7]
    p = (mantissa * _TWO_OVER_PI[i + 3] + (p >> 32)) & _M64
    p = ((((mantissa * _TWO_OVER_PI[i - 1]) & _M32) << 32) + p) & _M64
    q = ((p + (1 << 61)) & _M64) >> 62
    p = (p - (q << 62)) & _M64
    signed = p - (1 << 64) if p >> 63 else p
    return float(np.float32(float(signed) * 3.4061215800865545e-19)), q


_COS_POLY = (2.4372266125283204019069671630859375e-05, -0.00138865201734006404876708984375,
             0.041666619479656219482421875, -0.5, 1.0)
_SIN_POLY = (-0.0001959234114083702898469196984621021329076029360294342041015625,
             0.0083326873655616851693794799871284340042620897293090820312500000,
             -0.1666666203982298255503735617821803316473960876464843750000000000)
# pi/2 in four parts for a build without FMA, and where Payne-Hanek takes over.
_PIO2_PARTS = (-1.5703125, -0.000483989715576171875, 1.62865035235881805419921875e-07,
               5.5644315544167710640977020375430583953857421875e-11)
_HUGE = {True: 25966.0, False: 18838.0}


def _sincos_float32(x: np.ndarray, sine: bool) -> np.ndarray:
    """``psincos_float``: |x| reduced by the nearest multiple of pi/2 (q), a polynomial for
    sin or cos on [-pi/4, pi/4] chosen by q's parity, the sign from q (and x's, for sin)."""
    x0 = flush(x)
    ax = np.abs(x0)
    y = flush(ax * f32(0.636619746685028076171875))
    rounded = flush(y + f32(12582912))  # 2^23 + 2^22: y's nearest integer in the low bits
    q = rounded.view(np.int32).copy()
    y = flush(rounded - f32(12582912))
    r = ax
    for part in _PIO2_PARTS:
        r = _madd(y, f32(part), r)
    huge = np.flatnonzero((ax >= f32(_HUGE[sine])) & np.isfinite(ax))
    if huge.size:
        r, q = np.array(r, np.float32).reshape(-1), q.reshape(-1)
        for k in huge:
            r[k], q[k] = trig_reduce_huge(float(ax.flat[k]))
        r, q = r.reshape(ax.shape), q.reshape(ax.shape)
    r2 = flush(r * r)
    cos_r = _horner(r2, tuple(f32(c) for c in _COS_POLY))
    sin_r = _madd(flush(_horner(r2, tuple(f32(c) for c in _SIN_POLY)) * r2), r, r)
    even = (q & 1) == 0
    if sine:
        out, sign = np.where(even, sin_r, cos_r), x0.view(np.int32) ^ (q << 30)
    else:
        out, sign = np.where(even, cos_r, sin_r), (q + 1) << 30
    out = np.asarray(out, np.float32)
    return (out.view(np.int32) ^ (sign & np.int32(-(1 << 31)))).view(np.float32)


def sin_float32(x: np.ndarray) -> np.ndarray:
    return _sincos_float32(x, sine=True)


def cos_float32(x: np.ndarray) -> np.ndarray:
    return _sincos_float32(x, sine=False)


# -- sigmoid: Eigen's scalar_logistic_op ---------------------------------------------------------


def sigmoid_float32(x: np.ndarray) -> np.ndarray:
    """Eigen's float logistic packet: exp(x / 2) by pexp's range reduction and a degree-5
    polynomial, squared (so no denormal exp needs an ldexp), then e / (1 + e); x clamped to 16.6
    above (where the result is 1), 0 below -104."""
    x0 = flush(x)
    xc = np.where(np.isnan(x0), x0, np.minimum(x0, f32(16.6355324)))
    half = flush(xc * f32(0.5))
    m = np.floor(_madd(half, f32(1.44269504088896341), f32(0.5)))
    r = _madd(m, f32(-0.693359375), half)
    r = _madd(m, f32(2.12194440e-4), r)
    r2 = flush(r * r)
    p_even = _madd(r2, f32(4.1898667812347412109375e-2), f32(0.49999141693115234375))
    p_odd = _madd(r2, f32(8.33471305668354034423828125e-3), f32(0.16666877269744873046875))
    p = _madd(r, p_odd, p_even)
    p = _madd(r2, p, flush(r + f32(1)))
    e = _scale(p, m)
    e = flush(e * e)
    return np.where(x0 < f32(-104.0), f32(0), flush(e / flush(f32(1) + e)))


def _sigmoid_from_exp(e: np.ndarray) -> np.ndarray:
    """Eigen's generic logistic from e = exp(x): e / (1 + e), 1 where e is infinite."""
    one = e.dtype.type(1)
    return np.where(e == np.inf, one, flush(e / flush(one + e)))


def sigmoid_float64(x: np.ndarray) -> np.ndarray:
    return _sigmoid_from_exp(exp_float64(x))


def _sigmoidf(v: Any) -> Any:
    """The float logistic's scalar path: C's expf of x (at most 16.6355324), e / (1 + e)."""
    e = f32(libm("expf")(min(flush(v), f32(16.6355324)) if v == v else v))
    return flush(e / flush(f32(1) + e))


def _sigmoid64(v: Any) -> Any:
    """The generic logistic's scalar path: C's exp, then as the packets."""
    e = f64(libm("exp", double=True)(flush(v)))
    return f64(1) if e == np.inf else flush(e / flush(f64(1) + e))


def sigmoid(x: Any) -> Any:
    """TF's Sigmoid (Eigen's scalar_logistic_op): packets and the scalar tail as above; float16
    through half arithmetic over float32's exp (each operation rounded to half)."""
    x = np.asarray(x)
    if x.dtype == np.float16:
        with np.errstate(all="ignore"):
            e = EXP(x.astype(np.float32)).astype(np.float16)
            s = (np.float32(1) + e.astype(np.float32)).astype(np.float16)
            out = (e.astype(np.float32) / s.astype(np.float32)).astype(np.float16)
        return np.where(e == np.inf, np.float16(1), out)
    if x.dtype not in PACKET:
        with np.errstate(all="ignore"):
            return (1 / (1 + np.exp(-x))).astype(x.dtype)
    flat = x.reshape(-1)
    packets = sigmoid_float32 if x.dtype == _F32 else sigmoid_float64
    scalar = _sigmoidf if x.dtype == _F32 else _sigmoid64
    have_libm = libm("expf") is not None
    out = _packets_then_tail(flat.size, x.dtype, lambda lo, hi: packets(flat[lo:hi]),
                             (lambda i: scalar(flat[i])) if have_libm else None)
    return out.reshape(x.shape)


def sigmoid_grad(y: Any, dy: Any) -> Any:
    """TF's SigmoidGrad: dy * (y * (1 - y)) on the packets, (dy * y) * (1 - y) on the scalar
    tail (scalar_sigmoid_gradient_op's two paths; float16's packets hold 8 halves), each product
    flushed."""
    y, dy = np.asarray(y), np.asarray(dy)
    t = y.dtype.type
    with np.errstate(all="ignore"):
        packet = flush(dy * flush(y * flush(t(1) - y)))
        if y.dtype.kind != "f" or not packet.size:
            return packet
        out = np.array(packet).reshape(-1)
        tail = out.size % PACKET.get(y.dtype, 8)
        if tail:
            ys = np.broadcast_to(y, packet.shape).reshape(-1)[-tail:]
            dys = np.broadcast_to(dy, packet.shape).reshape(-1)[-tail:]
            out[-tail:] = flush(flush(dys * ys) * flush(t(1) - ys))
    return out.reshape(packet.shape)


# -- pow: Eigen's generic_pow, log2 and exp2 in double-word (hi + lo) float32 arithmetic -----------


def _add(a: Any, b: Any) -> Any:
    return flush(a + b)


def _sub(a: Any, b: Any) -> Any:
    return flush(a - b)


def _mul(a: Any, b: Any) -> Any:
    return flush(a * b)


def _veltkamp(x: Any) -> tuple[Any, Any]:
    """x = hi + lo exactly, hi holding the upper half of the significand (12 of float32's 24
    bits, 27 of float64's 53)."""
    gamma = _mul(x.dtype.type(4097.0 if x.dtype == _F32 else 134217729.0), x)
    hi = _add(_sub(x, gamma), gamma)
    return hi, _sub(x, hi)


def _two_product(x: Any, y: Any) -> tuple[Any, Any]:
    """Dekker's product without FMA: hi = fl(x y), hi + lo = x y."""
    x_hi, x_lo = _veltkamp(x)
    y_hi, y_lo = _veltkamp(y)
    p_hi = _mul(x, y)
    p_lo = _madd(x_hi, y_hi, -p_hi)
    for a, b in ((x_hi, y_lo), (x_lo, y_hi), (x_lo, y_lo)):
        p_lo = _madd(a, b, p_lo)
    return p_hi, p_lo


def _fast_two_sum(x: Any, y: Any) -> tuple[Any, Any]:
    s = _add(x, y)
    return s, _sub(y, _sub(s, x))


def _dw_add(x_hi: Any, x_lo: Any, y_hi: Any, y_lo: Any) -> tuple[Any, Any]:
    """Double word + double word, |x| >= |y| (Eigen's fast_twosum of four)."""
    r_hi, r_lo = _fast_two_sum(x_hi, y_hi)
    return _fast_two_sum(r_hi, _add(_add(y_lo, r_lo), x_lo))


def _dw_mul(x_hi: Any, x_lo: Any, y: Any) -> tuple[Any, Any]:
    """Double word times float (Muller's Algorithm 7)."""
    c_hi, c_lo1 = _two_product(x_hi, y)
    t_hi, t_lo1 = _fast_two_sum(c_hi, _mul(x_lo, y))
    return _fast_two_sum(t_hi, _add(t_lo1, c_lo1))


_BELOW_HALF = {_F32: np.array(0x3EFFFFFF, np.uint32).view(np.float32)[()],
               _F64: np.array(0x3FDFFFFFFFFFFFFF, np.uint64).view(np.float64)[()]}


def _round_half_away(a: Any) -> Any:
    """Eigen's AVX ``pround``: a plus the number just below 1/2 (with a's sign), truncated."""
    below_half = _BELOW_HALF[a.dtype]
    return np.trunc(_add(np.where(np.signbit(a), -below_half, below_half).astype(a.dtype), a))


def _dw_add_float(x: Any, y_hi: Any, y_lo: Any) -> tuple[Any, Any]:
    """Float + double word, |x| >= |y|."""
    r_hi, r_lo = _fast_two_sum(x, y_hi)
    return _fast_two_sum(r_hi, _add(y_lo, r_lo))


def _dw_mul_dw(x_hi: Any, x_lo: Any, y_hi: Any, y_lo: Any) -> tuple[Any, Any]:
    return _dw_add(*_dw_mul(x_hi, x_lo, y_hi), *_dw_mul(x_hi, x_lo, y_lo))


def _dw_div(x_hi: Any, x_lo: Any, y: Any) -> tuple[Any, Any]:
    """Double word over float (Joldes, Muller and Popescu's Algorithm 15)."""
    t_hi = flush(x_hi / y)
    p_hi, p_lo = _two_product(t_hi, y)
    delta = _add(_sub(_sub(x_hi, p_hi), p_lo), x_lo)
    return _fast_two_sum(t_hi, flush(delta / y))


_LOG2_C0 = 1.442695041742110273474963832995854318141937255859375
_LOG2_C1 = -7.2134751588268664068692714863573201000690460205078125e-01
_LOG2_POLY = (9.7010828554630279541015625e-02, -1.6896486282348632812500000e-01, 1.7200836539268493652343750e-01,
              -1.7892272770404815673828125e-01, 2.0505344867706298828125000e-01,
              -2.4046677350997924804687500e-01, 2.8857553005218505859375000e-01,
              -3.6067414283752441406250000e-01, 4.8089790344238281250000000e-01)


def _split(c: float) -> tuple[Any, Any]:
    hi = f32(c)
    return hi, f32(c - float(hi))


def _log2_double_word(z: Any) -> tuple[Any, Any]:
    """``accurate_log2<float>``: log2(z) for z in [sqrt(1/2), sqrt(2)) as hi + lo, the last two
    Horner steps in double word."""
    x = _sub(z, f32(1))
    p_hi, p_lo = _two_product(x, _horner(x, tuple(f32(c) for c in _LOG2_POLY)))
    p_hi, p_lo = _dw_add(*_split(_LOG2_C1), p_hi, p_lo)
    p_hi, p_lo = _dw_mul(p_hi, p_lo, x)
    p_hi, p_lo = _dw_add(*_split(_LOG2_C0), p_hi, p_lo)
    return _dw_mul(p_hi, p_lo, x)


_LOG2_Q = (2.87074255468000586e-9, 2.38957980901884082e-8, 2.31032094540014656e-7, 2.27279857398537278e-6,
           2.31271023278625638e-5, 2.47556738444535513e-4, 2.88543873228900172e-3)


def _log2_double_word64(x: Any) -> tuple[Any, Any]:
    """``accurate_log2<double>``: r = c (x - 1) / (x + 1), c = 2 log2(e), and log2(x) as an odd
    polynomial in r, its low terms in double word."""
    one = f64(1)
    t_hi, t_lo = _dw_mul(f64(2.88539008177792677), f64(4.07660016854549667e-17), _sub(x, one))
    r_hi, r_lo = _dw_div(t_hi, t_lo, _add(x, one))
    r2_hi, r2_lo = _dw_mul_dw(r_hi, r_lo, r_hi, r_lo)
    r4_hi, _ = _dw_mul_dw(r2_hi, r2_lo, r2_hi, r2_lo)
    q12, q10, q8, q6, q4, q2, q0 = (f64(c) for c in _LOG2_Q)
    q_even = _madd(_madd(_madd(q12, r4_hi, q8), r4_hi, q4), r4_hi, q0)
    q_odd = _madd(_madd(q10, r4_hi, q6), r4_hi, q2)
    q = _madd(q_odd, r2_hi, q_even)
    p_hi, p_lo = _dw_mul(r2_hi, r2_lo, q)
    p_hi, p_lo = _dw_add(f64(0.0400377511598501157), f64(-4.77726582251425391e-19), p_hi, p_lo)
    p_hi, p_lo = _dw_mul_dw(r2_hi, r2_lo, p_hi, p_lo)
    p_hi, p_lo = _dw_add_float(one, p_hi, p_lo)
    return _dw_mul_dw(p_hi, p_lo, r_hi, r_lo)


def _exp2(x: Any) -> Any:
    """``generic_exp2``: exp(ln(2) x) with ln(2) x in double word, x clamped where 2^x
    overflows or underflows."""
    t = x.dtype.type
    high, low = (129.0, -151.0) if x.dtype == _F32 else (1025.0, -1076.0)
    x = np.maximum(np.minimum(x, t(high)), t(low))
    p_hi, p_lo = _two_product(np.full_like(x, t(0.693147180559945309417232121458)), x)
    exp = exp_float32 if x.dtype == _F32 else exp_float64
    return _mul(exp(p_hi), _add(t(1), p_lo))


def _pow_positive(x: Any, y: Any) -> Any:
    """``generic_pow_impl``: 2^(y log2(x)), y log2(x) split into an integer and a fraction."""
    t = x.dtype.type
    mantissa, exponent = np.frexp(x)
    m, e = mantissa.astype(x.dtype), exponent.astype(x.dtype)
    below = m < t(0.70710678118654752440)
    m = np.where(below, _mul(t(2), m), m)
    e = np.where(below, _sub(e, t(1)), e)
    r_hi, r_lo = _log2_double_word(m) if x.dtype == _F32 else _log2_double_word64(m)
    f_hi, f_lo = _dw_add(*_two_product(e, y), *_dw_mul(r_hi, r_lo, y))
    n = _round_half_away(f_hi)
    r = _add(_sub(f_hi, n), f_lo)
    n_r = _round_half_away(r)
    return _scale(_exp2(_sub(r, n_r)), _add(n, n_r))


def pow_packets(x_raw: np.ndarray, y_raw: np.ndarray) -> np.ndarray:
    """``generic_pow`` (float32 or float64): |x|^y, then C's rules for signs, zeros, infinities,
    NaN and integer y (the comparisons under DAZ; pow(x, 1) is x itself, denormal or not)."""
    t = x_raw.dtype.type
    x, y = flush(x_raw), flush(y_raw)
    inf, zero, one, nan = t(np.inf), t(0), t(1), t(np.nan)
    ax, ay = np.abs(x), np.abs(y)
    p = _pow_positive(ax, y)
    y_int = (np.floor(y) == y) & (ay != inf)
    half_y = _mul(y, t(0.5))
    y_odd = y_int & (_round_half_away(half_y) != half_y)
    max_exponent = 128.0 if x_raw.dtype == _F32 else 1024.0
    y_huge = t(t(max_exponent) * t(0.6931471805599453) / np.finfo(x_raw.dtype).eps) <= ay
    p = np.where((x < 0) & ~y_int, nan, p)
    p = np.where(x == 0, np.where(y < 0, inf, zero), p)
    p = np.where(np.signbit(x) & y_odd, -p, p)
    toward_inf = np.where(((y < 0) & (x == 0)) | ((y < 0) ^ (one < ax)), inf, zero)
    p = np.where(y_huge, np.where(x == -1, one, toward_inf), p)
    at_inf = np.where(y < 0, zero, inf)
    p = np.where(ax == inf, np.where(x < 0, np.where(y_odd, -at_inf, at_inf), at_inf), p)
    p = np.where(np.isnan(x) | np.isnan(y), nan, p)
    return np.where(y == 1, x_raw, np.where((x == 1) | (y == 0), one, p)).astype(x_raw.dtype)


def _powf_under_daz(x: Any, y: Any) -> Any:
    """glibc's ``powf`` in TF's threads: like its logf, it reads a denormal x as +-2^-150
    (pow(1e-40f, 0.5f) is 2^-75), and the result is flushed."""
    if x != 0 and abs(x) < _TINY32 and y == y:
        if x < 0 and y != np.floor(y):
            return f32(np.nan)
        sign = -1.0 if x < 0 and y % 2 == 1 else 1.0
        with np.errstate(all="ignore"):  # (numpy's power: inf past float64's range, no raise)
            return flush(f32(sign * np.power(2.0, -150.0 * float(y))))
    return flush(f32(libm("powf", arity=2)(x, y)))


def pow_(x: Any, y: Any) -> Any:
    """TF's Pow: for float32 and float64 Eigen's generic_pow on the packets and C's pow on the
    last ``n % P`` elements; float16 C's powf on every element (Eigen's half has no packet pow),
    rounded to half; integers numpy's."""
    x, y = np.asarray(x), np.asarray(y)
    if x.dtype.kind not in "f":
        return np.power(x, y)
    if x.dtype not in PACKET:
        with np.errstate(all="ignore"):
            wide = np.power(x.astype(np.float64), y.astype(np.float64)).astype(np.float32)
        return wide.astype(x.dtype)
    xs, ys = np.broadcast_arrays(x, y)
    xf, yf = xs.reshape(-1), ys.reshape(-1)
    scalar = _powf_under_daz if x.dtype == _F32 else _c_pow
    packets: Callable = lambda lo, hi: pow_packets(xf[lo:hi], yf[lo:hi])  # noqa: E731
    if x.dtype == _F32 and xf.size >= optional_jit.MIN_SIZE:
        jit = optional_jit.for_input("eigen_math_jit", xf.size)
        if jit is not None:
            def packets(lo: int, hi: int) -> np.ndarray:
                part, xp, yp = np.empty(hi - lo, np.float32), xf[lo:hi], yf[lo:hi]
                pieces = parallel.chunks(hi - lo, part.nbytes)  # (one per CPU: the loop frees the GIL)

                def piece(k: int) -> None:
                    a, b = pieces[k]
                    jit.pow_float32(np.ascontiguousarray(xp[a:b]), np.ascontiguousarray(yp[a:b]), part[a:b])
                parallel.run(piece, len(pieces))
                return part
    out = _packets_then_tail(xf.size, x.dtype, packets,
                             (lambda i: scalar(xf[i], yf[i])) if libm("powf", arity=2) is not None else None)
    return out.reshape(xs.shape)


def _c_pow(x: Any, y: Any) -> Any:
    """C's pow on flushed operands, flushed (float64's tail)."""
    return flush(f64(libm("pow", double=True, arity=2)(flush(x), flush(y))))


@functools.cache
def libm(name: str, double: bool = False, arity: int = 1) -> Any:
    """C's ``name`` from libm, of ``arity`` float (with ``double``, double) arguments, or None
    where libm cannot be loaded."""
    try:
        fn = getattr(ctypes.CDLL(ctypes.util.find_library("m") or "libm.so.6"), name)
    except (OSError, AttributeError):
        return None
    c_type = ctypes.c_double if double else ctypes.c_float
    fn.restype, fn.argtypes = c_type, [c_type] * arity
    return fn


def _c_function(name: str, double: bool, raw: bool) -> Callable | None:
    """C's ``name`` on one value: the value flushed first (DAZ) unless ``raw`` (glibc's sinf and
    logf look at a denormal's bits, which DAZ does not clear)."""
    fn = libm(name, double)
    if fn is None:
        return None
    return fn if raw else (lambda v: fn(flush(v)))


def _logf_under_daz(v: Any) -> Any:
    """glibc's ``logf`` as it runs in TF's threads (DAZ set): it rescales a denormal by 2^23,
    which DAZ reads as 0, so every positive denormal comes out as log(2^-150) and every
    negative one NaN (observed on TF 2.21); other values are ``logf``'s."""
    if v != 0 and abs(v) < _TINY32:
        return f32(-103.97207641601562) if v > 0 else f32(np.nan)
    return libm("logf")(v)


def _packets_then_tail(size: int, dtype: Any, packets: Callable, scalar: Callable | None) -> np.ndarray:
    """A flat output of ``size``: ``packets(lo, hi)`` (an array) for all but the last
    ``size % P`` elements, ``scalar(i)`` for each of those (``packets`` too where C's function
    is missing). Below one packet only the scalar runs, as in TF."""
    packed = size - size % PACKET[dtype] if scalar is not None else size
    out = np.empty(size, dtype)
    with np.errstate(all="ignore"):  # (the approximations meet infinities and NaNs)
        if packed:
            out[:packed] = packets(0, packed)
    for i in range(packed, size):
        out[i] = scalar(i)  # type: ignore[misc]
    return out


def packets_then_scalars(packet_fns: dict, tails: dict, fallback: Callable) -> Callable:
    """A kernel function: per dtype, ``packet_fns[dtype]`` on the packets and ``tails[dtype]``
    (C's function, on one value) on the last ``n % P`` elements; float16 as float32 (the way
    Eigen computes a half: in float, rounded to half); ``fallback`` (numpy's) for other dtypes."""
    def kernel(x: Any) -> Any:
        x = np.asarray(x)
        packet_fn = packet_fns.get(x.dtype)
        if packet_fn is None:
            with np.errstate(all="ignore"):
                if x.dtype == np.float16 and _F32 in packet_fns:
                    return kernel(x.astype(np.float32)).astype(np.float16)
                return fallback(x)
        flat, scalar = x.reshape(-1), tails.get(x.dtype)
        out = _packets_then_tail(flat.size, x.dtype, lambda lo, hi: packet_fn(flat[lo:hi]),
                                 None if scalar is None else lambda i: scalar(flat[i]))
        return out.reshape(x.shape)
    return kernel


def _tails(float32: Callable | None, float64: Callable | None = None) -> dict:
    return {dtype: fn for dtype, fn in ((_F32, float32), (_F64, float64)) if fn is not None}


_EXP_TAILS = _tails(_c_function("expf", False, False), _c_function("exp", True, False))
EXP = packets_then_scalars({_F32: exp_float32, _F64: exp_float64}, _EXP_TAILS, np.exp)


def exp_one_by_one(x: np.ndarray) -> np.ndarray:
    """exp of each element as TF's scalar path computes it (C's expf / exp), whatever the
    array's length."""
    scalar = _EXP_TAILS.get(x.dtype)
    if scalar is None:
        return EXP(x)
    return np.array([scalar(v) for v in x.reshape(-1)], dtype=x.dtype).reshape(x.shape)
LOG = packets_then_scalars({_F32: log_float32, _F64: log_float64},
                           _tails(_logf_under_daz if libm("logf") else None, _c_function("log", True, False)),
                           np.log)
SIN = packets_then_scalars({_F32: sin_float32}, _tails(_c_function("sinf", False, True)), np.sin)
COS = packets_then_scalars({_F32: cos_float32}, _tails(_c_function("cosf", False, False)), np.cos)
