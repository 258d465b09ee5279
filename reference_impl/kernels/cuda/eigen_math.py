"""GPU kernels: Exp, Log, Sin, Cos and Pow as TF's CPU kernels compute them
(kernels/cpu/eigen_math.py).

Eigen's packet approximations, operation by operation in the element's dtype (each multiply and
add rounded on its own: the runtime turns NVVM's contraction off), every result flushed; the
last ``n % P`` elements, which TF's CPU takes from glibc, from the device's own function (a GPU
cannot call glibc; glibc's expf and logf round correctly, its sinf and cosf not always).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from numba import cuda, float32, float64, int16, uint64

from ..cpu import eigen_math as cpu
from ..registry import GPU, KernelContext, register_kernel
from . import runtime
from .cast import cast_kernel_for
from .elementwise import _POW, bcast_offset, broadcast_binary

_F = {name: float32(value) for name, value in {
    "one": 1.0, "half": 0.5, "exp_hi": 88.723, "exp_lo": -104.0,
    "log2e": 1.44269504088896341, "c1": -0.693359375, "c2": 2.12194440e-4,
    "p2": 0.49999988079071044921875, "p3": 0.16666518151760101318359375,
    "p4": 4.166965186595916748046875e-2, "p5": 8.36894474923610687255859375e-3,
    "p6": 1.37449637986719608306884765625e-3,
    "sqrthf": 0.707106781186547524, "ln2": 0.693147180559945309,
    "a0": 0.18256296349849254, "a1": 1.0000000190281063, "a2": 1.0000000190281136,
    "b0": 0.049616247954120038, "b1": 0.59923249590823520, "b2": 1.4999999999999927,
    "two_over_pi": 0.636619746685028076171875, "magic": 12582912.0,
}.items()}
F1, FHALF, EXP_HI, EXP_LO, LOG2E, C1, C2 = (_F[k] for k in ("one", "half", "exp_hi", "exp_lo", "log2e", "c1", "c2"))
P2, P3, P4, P5, P6 = (_F[k] for k in ("p2", "p3", "p4", "p5", "p6"))
SQRTHF, LN2, A0, A1, A2, B0, B1, B2 = (_F[k] for k in ("sqrthf", "ln2", "a0", "a1", "a2", "b0", "b1", "b2"))
TWO_OVER_PI, MAGIC = _F["two_over_pi"], _F["magic"]
PIO2_0, PIO2_1, PIO2_2, PIO2_3 = (float32(v) for v in cpu._PIO2_PARTS)
COS_0, COS_1, COS_2, COS_3, COS_4 = (float32(v) for v in cpu._COS_POLY)
SIN_0, SIN_1, SIN_2 = (float32(v) for v in cpu._SIN_POLY)
HUGE_SIN, HUGE_COS = float32(cpu._HUGE[True]), float32(cpu._HUGE[False])
M32, BIT29, SHIFT32, SHIFT30 = uint64(0xFFFFFFFF), uint64(1 << 29), uint64(32), uint64(30)
FZERO, FNAN = float32(0.0), float32(np.nan)
LOGF_OF_DENORMAL = float32(-103.97207641601562)  # (kernels/cpu/eigen_math.py: _logf_under_daz)
TINY32 = float32(np.finfo(np.float32).tiny)
TINY64 = float(np.finfo(np.float64).tiny)


@runtime.device_function
def _fl(v, tiny):  # type: ignore[no-untyped-def]
    return v * 0 if abs(v) < tiny else v


@runtime.device_function
def _madd(a, b, c, tiny):  # type: ignore[no-untyped-def]
    # Eigen's pmadd without FMA: the product rounded, then the sum.
    return _fl(_fl(a * b, tiny) + c, tiny)


@runtime.device_function
def _floor(a):  # type: ignore[no-untyped-def]
    # In a's dtype (math.floor gives an int); a is finite here.
    return a - a % 1


@runtime.device_function
def device_exp(v):  # type: ignore[no-untyped-def]
    # The device's exp, infinite past the largest double's logarithm (Python's math.exp, which
    # the simulator runs, raises there; a GPU's gives inf, as C's expf / exp on the CPU).
    return math.exp(v) if v < 709.782712893384 else math.inf


@runtime.device_function
def exp32(x):  # type: ignore[no-untyped-def]
    if x != x:
        return x
    if x < EXP_LO:
        return FZERO
    xc = x if x < EXP_HI else EXP_HI
    m = _floor(_madd(xc, LOG2E, FHALF, TINY32))
    r = _madd(m, C1, xc, TINY32)
    r = _madd(m, C2, r, TINY32)
    r2 = _fl(r * r, TINY32)
    p_even = _madd(r2, P6, P4, TINY32)
    p_odd = _madd(r2, P5, P3, TINY32)
    p_even = _madd(r2, p_even, P2, TINY32)
    p_low = _fl(r + F1, TINY32)
    y = _madd(r, p_odd, p_even, TINY32)
    y = _madd(r2, y, p_low, TINY32)
    out = _fl(float32(float64(y) * 2.0 ** int(m)), TINY32)  # (exact in float64, one rounding)
    return out if out >= x else x


@runtime.device_function
def exp64(x):  # type: ignore[no-untyped-def]
    if x != x:
        return x
    if x < -745.519:
        return 0.0
    xc = x if x < 709.784 else 709.784
    m = _floor(_madd(1.4426950408889634073599, xc, 0.5, TINY64))
    g = _fl(xc - _fl(m * 0.693145751953125, TINY64), TINY64)
    g = _fl(g - _fl(m * 1.42860682030941723212e-6, TINY64), TINY64)
    g2 = _fl(g * g, TINY64)
    p = _madd(1.26177193074810590878e-4, g2, 3.02994407707441961300e-2, TINY64)
    p = _fl(_madd(p, g2, 9.99999999999999999910e-1, TINY64) * g, TINY64)
    q = _madd(3.00198505138664455042e-6, g2, 2.52448340349684104192e-3, TINY64)
    q = _madd(q, g2, 2.27265548208155028766e-1, TINY64)
    q = _madd(q, g2, 2.00000000000000000009e0, TINY64)
    y = _madd(2.0, _fl(p / _fl(q - p, TINY64), TINY64), 1.0, TINY64)
    k = int(m)
    out = _fl((y * 2.0 ** (k // 2)) * 2.0 ** (k - k // 2), TINY64)  # (two exact factors)
    return out if out >= x else x


@runtime.device_function
def log32(x):  # type: ignore[no-untyped-def]
    if x == 0:
        return -F1 / (x * 0 + 0)  # -inf (x * 0 + 0 is +0 for either zero)
    if x < 0 or x != x:
        return (x - x) / (x - x) if x == x else x  # NaN
    if x - x != 0:
        return x  # +inf
    mantissa, exponent = math.frexp(x)
    m, e = float32(mantissa), float32(exponent)
    v = _fl(m - F1, TINY32)
    if m < SQRTHF:
        e = _fl(e - F1, TINY32)
        v = _fl(v + m, TINY32)
    p = _madd(_madd(A0, v, A1, TINY32), v, A2, TINY32)
    p = _fl(v * p, TINY32)
    q = _madd(_madd(_madd(B0, v, B1, TINY32), v, B2, TINY32), v, F1, TINY32)
    return _madd(e, LN2, _fl(p / q, TINY32), TINY32)


@runtime.device_function
def log64(x):  # type: ignore[no-untyped-def]
    if x == 0:
        return -1.0 / (x * 0 + 0)
    if x < 0 or x != x:
        return (x - x) / (x - x) if x == x else x
    if x - x != 0:
        return x
    mantissa, exponent = math.frexp(x)
    m, e = mantissa, float(exponent)
    v = _fl(m - 1.0, TINY64)
    if m < 0.70710678118654752440:
        e = e - 1.0
        v = _fl(v + m, TINY64)
    v2 = _fl(v * v, TINY64)
    v3 = _fl(v2 * v, TINY64)
    p_hi = _madd(_madd(1.01875663804580931796e-4, v, 4.97494994976747001425e-1, TINY64), v,
                 4.70579119878881725854e0, TINY64)
    p_lo = _madd(_madd(1.44989225341610930846e1, v, 1.79368678507819816313e1, TINY64), v,
                 7.70838733755885391666e0, TINY64)
    q_hi = _madd(_madd(1.0, v, 1.12873587189167450590e1, TINY64), v, 4.52279145837532221105e1, TINY64)
    q_lo = _madd(_madd(8.29875266912776603211e1, v, 7.11544750618563894466e1, TINY64), v,
                 2.31251620126765340583e1, TINY64)
    p = _madd(p_hi, v3, p_lo, TINY64)
    q = _madd(q_hi, v3, q_lo, TINY64)
    y = _fl(_fl(p * v3, TINY64) / q, TINY64)
    y = _madd(-0.5, v2, y, TINY64)
    return _madd(e, 0.693147180559945309417232121458, _fl(v + y, TINY64), TINY64)


@runtime.device_function
def _reduce_huge(ax, table):  # type: ignore[no-untyped-def]
    # Eigen's trig_reduce_huge in 32-bit limbs (no product or sum passes 2^64): returns
    # (r, q) with |x| = q pi/2 + r. The float's bits come from frexp (no bit casts on a GPU).
    mantissa, exponent = math.frexp(ax)
    biased = exponent + 126 - 118  # Eigen's e = (bits >> 23) - 118
    xi = uint64(int(mantissa * 16777216.0)) << uint64(biased & 7)
    i = biased >> 3
    p = xi * table[i + 7]
    p = xi * table[i + 3] + (p >> SHIFT32)
    lo = p & M32
    hi = ((p >> SHIFT32) + ((xi * table[i - 1]) & M32)) & M32
    q = ((hi + BIT29) & M32) >> SHIFT30
    signed = float(((hi + M32 + uint64(1)) - (q << SHIFT30)) & M32)  # (no unsigned wrap)
    if signed >= 2147483648.0:
        signed -= 4294967296.0
    return float32((signed * 4294967296.0 + float(lo)) * 3.4061215800865545e-19), int(q)


@runtime.device_function
def sincos32(x, sine, table):  # type: ignore[no-untyped-def]
    x = _fl(x, TINY32)  # (Sin and Cos flush themselves: float64's keep denormals)
    ax = abs(x)
    y = _fl(ax * TWO_OVER_PI, TINY32)
    y = _fl(_fl(y + MAGIC, TINY32) - MAGIC, TINY32)
    r = _madd(y, PIO2_0, ax, TINY32)
    r = _madd(y, PIO2_1, r, TINY32)
    r = _madd(y, PIO2_2, r, TINY32)
    r = _madd(y, PIO2_3, r, TINY32)
    q = int(y) if y - y == 0 else 0  # (NaN and inf give NaN whatever q is)
    if ax >= (HUGE_SIN if sine else HUGE_COS) and ax - ax == 0:
        r, q = _reduce_huge(ax, table)
    r2 = _fl(r * r, TINY32)
    c = _madd(_madd(_madd(_madd(COS_0, r2, COS_1, TINY32), r2, COS_2, TINY32), r2, COS_3, TINY32),
              r2, COS_4, TINY32)
    s = _madd(_madd(SIN_0, r2, SIN_1, TINY32), r2, SIN_2, TINY32)
    s = _madd(_fl(s * r2, TINY32), r, r, TINY32)
    if sine:
        out = s if q % 2 == 0 else c
        flip = ((q >> 1) & 1) == 1
        if x < 0 or (x == 0 and 1 / x < 0):
            flip = not flip
    else:
        out = c if q % 2 == 0 else s
        flip = (((q + 1) >> 1) & 1) == 1
    return -out if flip else out


@cuda.jit
def _exp32_kernel(x, out, packed):  # type: ignore[no-untyped-def]
    for i in range(cuda.grid(1), out.size, cuda.gridsize(1)):
        out[i] = exp32(x[i]) if i < packed else device_exp(x[i])


@cuda.jit
def _exp64_kernel(x, out, packed):  # type: ignore[no-untyped-def]
    for i in range(cuda.grid(1), out.size, cuda.gridsize(1)):
        out[i] = exp64(x[i]) if i < packed else device_exp(x[i])


@cuda.jit
def _log32_kernel(x, out, packed):  # type: ignore[no-untyped-def]
    # (Log flushes itself: C's logf, which TF's tail calls, maps a denormal to log(2^-150))
    for i in range(cuda.grid(1), out.size, cuda.gridsize(1)):
        v = x[i]
        if i >= packed and v != 0 and abs(v) < TINY32:
            out[i] = LOGF_OF_DENORMAL if v > 0 else FNAN
        elif i < packed or v <= 0 or v != v or v - v != 0:
            out[i] = log32(_fl(v, TINY32))
        else:
            out[i] = math.log(v)


@cuda.jit
def _log64_kernel(x, out, packed):  # type: ignore[no-untyped-def]
    for i in range(cuda.grid(1), out.size, cuda.gridsize(1)):
        v = _fl(x[i], TINY64)
        out[i] = log64(v) if i < packed or v <= 0 or v != v else math.log(v)


@cuda.jit
def _sin32_kernel(x, out, packed, table):  # type: ignore[no-untyped-def]
    for i in range(cuda.grid(1), out.size, cuda.gridsize(1)):
        v = x[i]
        out[i] = sincos32(v, True, table) if i < packed or v - v != 0 else math.sin(v)  # (sinf(denormal) is it)


@cuda.jit
def _cos32_kernel(x, out, packed, table):  # type: ignore[no-untyped-def]
    for i in range(cuda.grid(1), out.size, cuda.gridsize(1)):
        v = x[i]
        out[i] = sincos32(v, False, table) if i < packed or v - v != 0 else math.cos(_fl(v, TINY32))


@cuda.jit
def _plain_kernel(x, out, op):  # type: ignore[no-untyped-def]
    # The dtypes without an Eigen packet function here (float64 Sin and Cos: correctly rounded).
    for i in range(cuda.grid(1), out.size, cuda.gridsize(1)):
        v = x[i]
        if v - v != 0:
            out[i] = (v - v) / (v - v) if v == v else v
        else:
            out[i] = math.sin(v) if op == 0 else math.cos(v)


# -- sigmoid: Eigen's scalar_logistic_op (kernels/cpu/eigen_math.py: sigmoid) ---------------------
SIG_HI, SIG_P2, SIG_P3 = float32(16.6355324), float32(0.49999141693115234375), float32(0.16666877269744873046875)
SIG_P4, SIG_P5 = float32(4.1898667812347412109375e-2), float32(8.33471305668354034423828125e-3)


@runtime.device_function
def sigmoid32(x):  # type: ignore[no-untyped-def]
    x = _fl(x, TINY32)
    if x != x:
        return x
    if x < EXP_LO:
        return FZERO
    half = _fl((x if x < SIG_HI else SIG_HI) * FHALF, TINY32)
    m = _floor(_madd(half, LOG2E, FHALF, TINY32))
    r = _madd(m, C1, half, TINY32)
    r = _madd(m, C2, r, TINY32)
    r2 = _fl(r * r, TINY32)
    p_even = _madd(r2, SIG_P4, SIG_P2, TINY32)
    p_odd = _madd(r2, SIG_P5, SIG_P3, TINY32)
    p = _madd(r, p_odd, p_even, TINY32)
    p = _madd(r2, p, _fl(r + F1, TINY32), TINY32)
    e = _fl(float32(float64(p) * 2.0 ** int(m)), TINY32)
    e = _fl(e * e, TINY32)
    return _fl(e / _fl(F1 + e, TINY32), TINY32)


@cuda.jit
def _sigmoid32_kernel(x, out, packed):  # type: ignore[no-untyped-def]
    for i in range(cuda.grid(1), out.size, cuda.gridsize(1)):
        v = _fl(x[i], TINY32)
        if i < packed or v != v:
            out[i] = sigmoid32(v)
        else:  # C's expf, as TF's scalar path
            e = float32(math.exp(v if v < SIG_HI else SIG_HI))
            out[i] = _fl(e / _fl(F1 + e, TINY32), TINY32)


@cuda.jit
def _sigmoid64_kernel(x, out, packed):  # type: ignore[no-untyped-def]
    for i in range(cuda.grid(1), out.size, cuda.gridsize(1)):
        v = _fl(x[i], TINY64)
        e = exp64(v) if i < packed else device_exp(v)
        out[i] = 1.0 if e - e != 0 and e > 0 else _fl(e / _fl(1.0 + e, TINY64), TINY64)


@register_kernel("Sigmoid", GPU)
def sigmoid(ctx: KernelContext, inputs: list) -> list:
    """Eigen's logistic: float32's own exp(x / 2) squared, float64's from pexp; float16 in half
    arithmetic over float32's exp (cast, Exp, AddV2 and RealDiv kernels, each rounded to half)."""
    from ..registry import lookup_kernel

    x = runtime.to_device(inputs[0])
    dtype = np.dtype(x.dtype)
    if dtype == np.float16:
        f32_ctx = KernelContext(ctx.op_name, "Exp", {}, GPU, None)
        e = _cast(lookup_kernel("Exp", GPU)(f32_ctx, [_cast(x, np.float32)])[0], np.float16)
        e32 = _cast(e, np.float32)
        one = runtime.to_device(np.ones(1, np.float32))
        denominator = _cast(_cast(lookup_kernel("AddV2", GPU)(f32_ctx, [one, e32])[0], np.float16), np.float32)
        out = _cast(lookup_kernel("RealDiv", GPU)(f32_ctx, [e32, denominator])[0], np.float16)
        overflowed = lookup_kernel("Equal", GPU)(f32_ctx, [e, runtime.to_device(np.full(1, np.inf, np.float16))])[0]
        select_ctx = KernelContext(ctx.op_name, "SelectV2", {"T": ctx.attrs.get("T")}, GPU, None)
        return lookup_kernel("SelectV2", GPU)(select_ctx, [overflowed, runtime.to_device(np.ones(1, np.float16)), out])
    out = runtime.empty(tuple(x.shape), dtype)
    if out.size:
        kernel = _sigmoid32_kernel if dtype == np.float32 else _sigmoid64_kernel
        runtime.launch(kernel, out.size, runtime.flat(x), runtime.flat(out), out.size - out.size % cpu.PACKET[dtype])
    return [out]


@cuda.jit
def _sigmoid_grad_kernel(y, dy, out, packed, tiny):  # type: ignore[no-untyped-def]
    # dy * (y * (1 - y)) on the packets, (dy * y) * (1 - y) on the scalar tail
    for i in range(cuda.grid(1), out.size, cuda.gridsize(1)):
        a, b = y[i], dy[i]
        c = _fl(a - a + 1 - a, tiny)
        out[i] = _fl(b * _fl(a * c, tiny), tiny) if i < packed else _fl(_fl(b * a, tiny) * c, tiny)


@register_kernel("SigmoidGrad", GPU)
def sigmoid_grad(ctx: KernelContext, inputs: list) -> list:
    y, dy = (runtime.to_device(v) for v in inputs)
    dtype = np.dtype(y.dtype)
    out = runtime.empty(tuple(y.shape), dtype)
    if out.size:
        tiny = np.finfo(dtype).tiny if dtype in cpu.PACKET else 0
        runtime.launch(_sigmoid_grad_kernel, out.size, runtime.flat(y), runtime.flat(dy), runtime.flat(out),
                       out.size - out.size % cpu.PACKET.get(dtype, 8), dtype.type(tiny))
    return [out]


# -- pow: Eigen's generic_pow in double-word arithmetic, one device function per dtype at the top,
# the helpers shared: a dtype's constants arrive as an array of it (`_pow_constants`), so that
# every operation stays in that dtype on a GPU (a Python literal would widen float32 to float64).
_K_VELTKAMP, _K_BELOW_HALF, _K_HALF, _K_ONE, _K_TWO, _K_SQRT_HALF, _K_LN2 = range(7)
_K_EXP2_HIGH, _K_EXP2_LOW, _K_HUGE, _K_INF, _K_NAN, _K_TINY, _K_POLY = range(7, 14)


def _pow_constants(dtype: Any) -> np.ndarray:
    t = np.dtype(dtype).type
    is32 = np.dtype(dtype) == np.float32
    below_half = cpu._BELOW_HALF[np.dtype(dtype)]
    max_exponent = 128.0 if is32 else 1024.0
    head = [4097.0 if is32 else 134217729.0, below_half, 0.5, 1.0, 2.0, 0.70710678118654752440,
            0.693147180559945309417232121458, 129.0 if is32 else 1025.0, -151.0 if is32 else -1076.0,
            t(t(max_exponent) * t(0.6931471805599453) / np.finfo(dtype).eps), np.inf, np.nan, np.finfo(dtype).tiny]
    if is32:  # log2's polynomial, then C1 and C0 as double words
        poly = [*cpu._LOG2_POLY, *cpu._split(cpu._LOG2_C1), *cpu._split(cpu._LOG2_C0)]
    else:  # Q's coefficients, C as a double word, 2 log2(e) as a double word
        poly = [*cpu._LOG2_Q, 0.0400377511598501157, -4.77726582251425391e-19, 2.88539008177792677,
                4.07660016854549667e-17]
    return np.asarray([*head, *poly], dtype)


@runtime.device_function
def _sum2(x, y, tiny):  # type: ignore[no-untyped-def]
    # fast two-sum: s = fl(x + y), s + e = x + y (|x| >= |y|)
    s = _fl(x + y, tiny)
    return s, _fl(y - _fl(s - x, tiny), tiny)


@runtime.device_function
def _halves(x, k, tiny):  # type: ignore[no-untyped-def]
    gamma = _fl(k[_K_VELTKAMP] * x, tiny)
    hi = _fl(_fl(x - gamma, tiny) + gamma, tiny)
    return hi, _fl(x - hi, tiny)


@runtime.device_function
def _prod2(x, y, k, tiny):  # type: ignore[no-untyped-def]
    # Dekker's product without FMA: hi = fl(x y), hi + lo = x y
    x_hi, x_lo = _halves(x, k, tiny)
    y_hi, y_lo = _halves(y, k, tiny)
    p_hi = _fl(x * y, tiny)
    p_lo = _madd(x_hi, y_hi, -p_hi, tiny)
    p_lo = _madd(x_hi, y_lo, p_lo, tiny)
    p_lo = _madd(x_lo, y_hi, p_lo, tiny)
    return p_hi, _madd(x_lo, y_lo, p_lo, tiny)


@runtime.device_function
def _dw_add(x_hi, x_lo, y_hi, y_lo, tiny):  # type: ignore[no-untyped-def]
    r_hi, r_lo = _sum2(x_hi, y_hi, tiny)
    return _sum2(r_hi, _fl(_fl(y_lo + r_lo, tiny) + x_lo, tiny), tiny)


@runtime.device_function
def _dw_mul(x_hi, x_lo, y, k, tiny):  # type: ignore[no-untyped-def]
    c_hi, c_lo1 = _prod2(x_hi, y, k, tiny)
    t_hi, t_lo1 = _sum2(c_hi, _fl(x_lo * y, tiny), tiny)
    return _sum2(t_hi, _fl(t_lo1 + c_lo1, tiny), tiny)


@runtime.device_function
def _dw_mul_dw(x_hi, x_lo, y_hi, y_lo, k, tiny):  # type: ignore[no-untyped-def]
    a_hi, a_lo = _dw_mul(x_hi, x_lo, y_hi, k, tiny)
    b_hi, b_lo = _dw_mul(x_hi, x_lo, y_lo, k, tiny)
    return _dw_add(a_hi, a_lo, b_hi, b_lo, tiny)


@runtime.device_function
def _trunc(v):  # type: ignore[no-untyped-def]
    if v - v != 0:
        return v
    return v - v % 1 if v >= 0 else -((-v) - (-v) % 1)


@runtime.device_function
def _negative(a):  # type: ignore[no-untyped-def]
    # the sign bit (a is not NaN)
    return a < 0 or (a == 0 and 1 / a < 0)


@runtime.device_function
def _round_half_away(a, k, tiny):  # type: ignore[no-untyped-def]
    below = k[_K_BELOW_HALF]
    return _trunc(_fl((-below if (a == a and _negative(a)) else below) + a, tiny))


@runtime.device_function
def _log2_32(z, k, tiny):  # type: ignore[no-untyped-def]
    x = _fl(z - k[_K_ONE], tiny)
    p = k[_K_POLY]
    for j in range(_K_POLY + 1, _K_POLY + 9):
        p = _madd(p, x, k[j], tiny)
    p_hi, p_lo = _prod2(x, p, k, tiny)
    p_hi, p_lo = _dw_add(k[_K_POLY + 9], k[_K_POLY + 10], p_hi, p_lo, tiny)
    p_hi, p_lo = _dw_mul(p_hi, p_lo, x, k, tiny)
    p_hi, p_lo = _dw_add(k[_K_POLY + 11], k[_K_POLY + 12], p_hi, p_lo, tiny)
    return _dw_mul(p_hi, p_lo, x, k, tiny)


@runtime.device_function
def _log2_64(x, k, tiny):  # type: ignore[no-untyped-def]
    one, q = k[_K_ONE], _K_POLY
    t_hi, t_lo = _dw_mul(k[q + 9], k[q + 10], _fl(x - one, tiny), k, tiny)
    y = _fl(x + one, tiny)  # (t_hi + t_lo) / y in double word:
    r_hi = _fl(t_hi / y, tiny)
    p_hi, p_lo = _prod2(r_hi, y, k, tiny)
    delta = _fl(_fl(_fl(t_hi - p_hi, tiny) - p_lo, tiny) + t_lo, tiny)
    r_hi, r_lo = _sum2(r_hi, _fl(delta / y, tiny), tiny)
    r2_hi, r2_lo = _dw_mul_dw(r_hi, r_lo, r_hi, r_lo, k, tiny)
    r4_hi, _r4_lo = _dw_mul_dw(r2_hi, r2_lo, r2_hi, r2_lo, k, tiny)
    q_even = _madd(_madd(_madd(k[q], r4_hi, k[q + 2], tiny), r4_hi, k[q + 4], tiny), r4_hi, k[q + 6], tiny)
    q_odd = _madd(_madd(k[q + 1], r4_hi, k[q + 3], tiny), r4_hi, k[q + 5], tiny)
    s_hi, s_lo = _dw_mul(r2_hi, r2_lo, _madd(q_odd, r2_hi, q_even, tiny), k, tiny)
    s_hi, s_lo = _dw_add(k[q + 7], k[q + 8], s_hi, s_lo, tiny)
    s_hi, s_lo = _dw_mul_dw(r2_hi, r2_lo, s_hi, s_lo, k, tiny)
    u_hi, u_lo = _sum2(one, s_hi, tiny)
    s_hi, s_lo = _sum2(u_hi, _fl(s_lo + u_lo, tiny), tiny)
    return _dw_mul_dw(s_hi, s_lo, r_hi, r_lo, k, tiny)


@runtime.device_function
def _exponent_split(x, y, k, tiny, log2_hi, log2_lo, e):  # type: ignore[no-untyped-def]
    # y log2(x) = n + r with n an integer and |r| <= 1/2 (the r part returned for exp2)
    f1_hi, f1_lo = _prod2(e, y, k, tiny)
    f2_hi, f2_lo = _dw_mul(log2_hi, log2_lo, y, k, tiny)
    f_hi, f_lo = _dw_add(f1_hi, f1_lo, f2_hi, f2_lo, tiny)
    n = _round_half_away(f_hi, k, tiny)
    r = _fl(_fl(f_hi - n, tiny) + f_lo, tiny)
    n_r = _round_half_away(r, k, tiny)
    n = _fl(n + n_r, tiny)
    r = _fl(r - n_r, tiny)
    x_r = r if (r < k[_K_EXP2_HIGH] or r != r) else k[_K_EXP2_HIGH]
    x_r = x_r if (x_r > k[_K_EXP2_LOW] or x_r != x_r) else k[_K_EXP2_LOW]
    p_hi, p_lo = _prod2(k[_K_LN2], x_r, k, tiny)
    return n, p_hi, _fl(k[_K_ONE] + p_lo, tiny)


@runtime.device_function
def _mantissa(x, k, tiny):  # type: ignore[no-untyped-def]
    # frexp, then the mantissa moved to [sqrt(1/2), sqrt(2)) (an int16 keeps float32 float32)
    mantissa, exponent = math.frexp(x)
    m, e = mantissa, k[_K_ONE] * int16(exponent)
    if m < k[_K_SQRT_HALF]:
        m = _fl(k[_K_TWO] * m, tiny)
        e = _fl(e - k[_K_ONE], tiny)
    return m, e


@runtime.device_function
def _pow_positive32(x, y, k):  # type: ignore[no-untyped-def]
    tiny = k[_K_TINY]
    m, e = _mantissa(x, k, tiny)
    log2_hi, log2_lo = _log2_32(m, k, tiny)
    n, p_hi, low = _exponent_split(x, y, k, tiny, log2_hi, log2_lo, e)
    e_r = _fl(exp32(p_hi) * low, tiny)
    scale = int(n) if (n == n and abs(n) < 300) else (0 if n != n else (300 if n > 0 else -300))
    return _fl(float32(float64(e_r) * 2.0 ** scale), tiny)


@runtime.device_function
def _pow_positive64(x, y, k):  # type: ignore[no-untyped-def]
    tiny = k[_K_TINY]
    m, e = _mantissa(x, k, tiny)
    log2_hi, log2_lo = _log2_64(m, k, tiny)
    n, p_hi, low = _exponent_split(x, y, k, tiny, log2_hi, log2_lo, e)
    e_r = _fl(exp64(p_hi) * low, tiny)
    scale = int(n) if (n == n and abs(n) < 1100) else (0 if n != n else (1100 if n > 0 else -1100))
    return _fl((e_r * 2.0 ** (scale // 2)) * 2.0 ** (scale - scale // 2), tiny)


@runtime.device_function
def _pow_rules(x_raw, y_raw, p, k):  # type: ignore[no-untyped-def]
    # C's special cases over |x|^y = p, in Eigen's order (later rules win); comparisons under DAZ
    tiny = k[_K_TINY]
    x, y = _fl(x_raw, tiny), _fl(y_raw, tiny)
    one, inf = k[_K_ONE], k[_K_INF]
    zero = one - one
    if y == 1:
        return x_raw
    if x == 1 or y == 0:
        return one
    if x != x or y != y:
        return k[_K_NAN]
    ax, ay = abs(x), abs(y)
    y_int = ay != inf and _floor(y) == y
    half_y = _fl(y * k[_K_HALF], tiny)
    y_odd = y_int and _round_half_away(half_y, k, tiny) != half_y
    if ax == inf:
        at_inf = zero if y < 0 else inf
        return -at_inf if (x < 0 and y_odd) else at_inf
    if k[_K_HUGE] <= ay:
        if x == -one:
            return one
        return inf if ((y < 0 and x == 0) or ((y < 0) != (one < ax))) else zero
    if x < 0 and not y_int:
        p = k[_K_NAN]
    if x == 0:
        p = inf if y < 0 else zero
    return -p if (_negative(x) and y_odd) else p


@runtime.device_function
def _powf_tail(a, b, k):  # type: ignore[no-untyped-def]
    # C's powf under DAZ (kernels/cpu/eigen_math.py: _powf_under_daz), the device's powf
    tiny = k[_K_TINY]
    if a != 0 and abs(a) < tiny and b == b:
        if a < 0 and _floor(b) != b:
            return k[_K_NAN]
        sign = -1.0 if (a < 0 and b % 2 == 1) else 1.0
        v = min(max(-150.0 * float64(b), -1000.0), 1000.0)
        return _fl(float32(sign * 2.0 ** v), tiny)
    return _fl(a ** b, tiny)


@cuda.jit
def _pow32_kernel(x, y, out, out_shape, x_strides, y_strides, packed, k):  # type: ignore[no-untyped-def]
    for i in range(cuda.grid(1), out.size, cuda.gridsize(1)):
        a = x[bcast_offset(i, out_shape, x_strides)]
        b = y[bcast_offset(i, out_shape, y_strides)]
        if i < packed:
            out[i] = _pow_rules(a, b, _pow_positive32(abs(_fl(a, k[_K_TINY])), _fl(b, k[_K_TINY]), k), k)
        else:
            out[i] = _powf_tail(a, b, k)


@cuda.jit
def _pow64_kernel(x, y, out, out_shape, x_strides, y_strides, packed, k):  # type: ignore[no-untyped-def]
    for i in range(cuda.grid(1), out.size, cuda.gridsize(1)):
        a = x[bcast_offset(i, out_shape, x_strides)]
        b = y[bcast_offset(i, out_shape, y_strides)]
        if i < packed:
            out[i] = _pow_rules(a, b, _pow_positive64(abs(_fl(a, k[_K_TINY])), _fl(b, k[_K_TINY]), k), k)
        else:
            out[i] = _fl(_fl(a, k[_K_TINY]) ** _fl(b, k[_K_TINY]), k[_K_TINY])


@cuda.jit
def _pow_wide_kernel(x, y, out, out_shape, x_strides, y_strides):  # type: ignore[no-untyped-def]
    # float16: C's powf on every element (as float64 rounded to float32), rounded to half after
    for i in range(cuda.grid(1), out.size, cuda.gridsize(1)):
        a = x[bcast_offset(i, out_shape, x_strides)]
        b = y[bcast_offset(i, out_shape, y_strides)]
        out[i] = float32(float64(a) ** float64(b))


_POW_CONSTANTS: dict = {}


@register_kernel("Pow", GPU)
def pow_(ctx: KernelContext, inputs: list) -> list:
    """Eigen's generic_pow on the packets of float32 and float64, C's pow on their last
    elements; float16 through float; integers as the other binary ops."""
    x, y = (runtime.to_device(v) for v in inputs)
    t = ctx.attrs.get("T")
    dtype = np.dtype(t.as_numpy_dtype if t is not None else np.result_type(x.dtype, y.dtype))
    try:
        shape = np.broadcast_shapes(x.shape, y.shape)
    except ValueError:
        return [broadcast_binary(_POW, x, y, dtype)]  # (which raises the CPU kernel's message)
    if dtype.kind != "f":
        return [broadcast_binary(_POW, x, y, dtype)]
    kshape = shape or (1,)
    geometry = (runtime.shape_array(kshape), runtime.shape_array(runtime.broadcast_strides(x.shape, kshape)),
                runtime.shape_array(runtime.broadcast_strides(y.shape, kshape)))
    wide = dtype not in cpu.PACKET
    out = runtime.empty(shape, np.float32 if wide else dtype)
    if out.size and wide:
        runtime.launch(_pow_wide_kernel, out.size, runtime.flat(x), runtime.flat(y), runtime.flat(out), *geometry)
    elif out.size:
        if dtype not in _POW_CONSTANTS:
            _POW_CONSTANTS[dtype] = runtime.to_device(_pow_constants(dtype))
        kernel = _pow32_kernel if dtype == np.float32 else _pow64_kernel
        runtime.launch(kernel, out.size, runtime.flat(x), runtime.flat(y), runtime.flat(out), *geometry,
                       out.size - out.size % cpu.PACKET[dtype], _POW_CONSTANTS[dtype])
    return [_cast(out, dtype) if wide else out]


_KERNELS = {
    "Exp": {np.dtype(np.float32): _exp32_kernel, np.dtype(np.float64): _exp64_kernel},
    "Log": {np.dtype(np.float32): _log32_kernel, np.dtype(np.float64): _log64_kernel},
    "Sin": {np.dtype(np.float32): _sin32_kernel},
    "Cos": {np.dtype(np.float32): _cos32_kernel},
}
_TABLE: list = []


def _table() -> Any:
    if not _TABLE:
        _TABLE.append(runtime.to_device(np.asarray(cpu._TWO_OVER_PI, np.uint64)))
    return _TABLE[0]


def _cast(x: Any, dtype: Any) -> Any:
    out = runtime.empty(tuple(x.shape), dtype)
    if out.size:
        runtime.launch(cast_kernel_for(dtype), out.size, runtime.flat(x), runtime.flat(out))
    return out


def _register(op: str) -> None:
    @register_kernel(op, GPU)
    def kernel(ctx: KernelContext, inputs: list) -> list:
        x = runtime.to_device(inputs[0])
        dtype = np.dtype(x.dtype)
        if dtype == np.float16:  # (in float, rounded to half, as Eigen computes a half)
            return [_cast(kernel(ctx, [_cast(x, np.float32)])[0], np.float16)]
        out = runtime.empty(tuple(x.shape), dtype)
        if not out.size:
            return [out]
        chosen = _KERNELS[op].get(dtype)
        if chosen is None:
            runtime.launch(_plain_kernel, out.size, runtime.flat(x), runtime.flat(out), 0 if op == "Sin" else 1)
            return [out]
        packed = out.size - out.size % cpu.PACKET[dtype]
        extra = (_table(),) if op in ("Sin", "Cos") else ()
        runtime.launch(chosen, out.size, runtime.flat(x), runtime.flat(out), packed, *extra)
        return [out]


for _op in _KERNELS:
    _register(_op)
