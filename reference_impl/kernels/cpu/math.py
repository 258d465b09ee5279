"""CPU kernels: element-wise arithmetic and comparisons (numpy broadcasting), casts, MatMul,
AddN."""

from __future__ import annotations

import functools
import sys
from typing import Any

import numpy as np

from ..ftz import computes_ftz, flush, flushing, smallest_normal
from ..registry import KernelContext, register_kernel
from . import eigen_math, optional_jit, parallel

_BINARY = {
    "AddV2": np.add, "Add": np.add, "Sub": np.subtract, "Mul": np.multiply,
    "RealDiv": np.true_divide, "Div": lambda x, y: _div(x, y),
    "Xdivy": lambda x, y: _xdivy(x, y), "DivNoNan": lambda x, y: _div_no_nan(x, y),
    "FloorDiv": np.floor_divide, "FloorMod": np.mod,
    "Pow": lambda x, y: eigen_math.pow_(x, y), "Maximum": np.maximum, "Minimum": np.minimum,
    "Equal": np.equal, "NotEqual": np.not_equal, "Less": np.less, "LessEqual": np.less_equal,
    "Greater": np.greater, "GreaterEqual": np.greater_equal,
    "LogicalAnd": np.logical_and, "LogicalOr": np.logical_or,
}


def _div(x, y):  # type: ignore[no-untyped-def]
    """``Div``: C++'s ``/``, so integers truncate toward zero (-33 / 7 is -4), floats divide."""
    x, y = np.asarray(x), np.asarray(y)
    if x.dtype.kind not in "iu":
        return np.true_divide(x, y)
    q = np.floor_divide(x, y)
    # floor and truncation differ where the division is inexact and the signs differ.
    return q + ((np.remainder(x, y) != 0) & ((x < 0) != (y < 0))).astype(q.dtype)


def _xdivy(x, y):  # type: ignore[no-untyped-def]
    """``Xdivy``: 0 where ``x == 0`` (even for a zero or NaN ``y``), else ``x / y``."""
    x, y = np.asarray(x), np.asarray(y)
    q = np.true_divide(x, y)
    return np.where(x == 0, np.zeros((), q.dtype), q)


def _div_no_nan(x, y):  # type: ignore[no-untyped-def]
    """``DivNoNan``: +0 where ``y == 0`` (even for an infinite or NaN ``x``), else ``x / y``.
    With DAZ a denormal ``y`` is a zero too (the registry flushes the inputs first)."""
    x, y = np.asarray(x), np.asarray(y)
    q = np.true_divide(x, y)
    return np.where(y == 0, np.zeros((), q.dtype), q)


def _reciprocal(x):  # type: ignore[no-untyped-def]
    """``1 / x`` in x's dtype (TF's scalar path; its AVX packets refine a hardware estimate,
    which varies by processor, and are not modelled)."""
    x = np.asarray(x)
    return np.true_divide(x.dtype.type(1), x)


def _sign(x):  # type: ignore[no-untyped-def]
    """-1, 0 or 1 (+0.0 for ±0.0, as Eigen's), NaN for NaN."""
    x = np.asarray(x)
    if x.dtype.kind in "iu":
        return np.sign(x)
    out = (x > 0).astype(x.dtype) - (x < 0).astype(x.dtype)
    return np.where(np.isnan(x), x, out)


_UNARY = {
    "Neg": np.negative, "Square": np.square, "Sqrt": np.sqrt, "Exp": eigen_math.EXP,
    "Log": eigen_math.LOG, "Sin": eigen_math.SIN, "Cos": eigen_math.COS,
    "Reciprocal": _reciprocal, "Sign": _sign,
    "Abs": np.abs, "LogicalNot": np.logical_not,
}


# TF registers these kernels for fewer types than their ops allow (no Reciprocal of integers).
UNARY_TYPES = {"Reciprocal": ("float16", "bfloat16", "float32", "float64", "complex64", "complex128")}


def relu_packet_size(dtype: Any) -> int:
    """Elements per packet of TF's Relu: 4 float64s, else 8 (float32, float16's Packet8h)."""
    return 4 if np.dtype(dtype) == np.float64 else 8


def relu_peeled(size: int, dtype: Any) -> int:
    """The index of the element TF's Relu computes on its own, or -1: an odd number of elements
    past the packets starts with one taken alone (the rest go two at a time), and that one
    returns its input unflushed (relu(1e-40f) is 1e-40 there, 0 elsewhere)."""
    tail = size % relu_packet_size(dtype) if np.dtype(dtype).kind == "f" else 0
    return size - tail if tail % 2 else -1


def _relu(x):  # type: ignore[no-untyped-def]
    """``max(x, 0)`` (Eigen's cwiseMax with 0), NaN kept, as TF computes it with DAZ set: a
    denormal reads as a zero of its sign. Of two zeros a packet's max gives +0, the scalar
    loop on the last ``n % P`` elements the first, so there -0 stays -0 (and -1e-40 is -0);
    the loop's lone first element keeps a denormal (`relu_peeled`)."""
    x = np.asarray(x)
    if x.dtype.kind != "f":
        return np.maximum(x, 0).astype(x.dtype)
    flushed = flush(x)
    out = np.where((flushed > 0) | np.isnan(flushed), flushed, np.zeros((), x.dtype))
    tail = out.size % relu_packet_size(x.dtype)
    if tail:
        out = np.array(out)  # (a 0-d result is a numpy scalar, not writable)
        last, xs = out.reshape(-1)[-tail:], flushed.reshape(-1)[-tail:]
        last[...] = np.where(xs == 0, xs, last)
        peeled = relu_peeled(out.size, x.dtype)
        if peeled >= 0 and not flushed.reshape(-1)[peeled] < 0:
            out.reshape(-1)[peeled] = x.reshape(-1)[peeled]
    return out


_UNARY["Relu"] = _relu

# Eigen's fast-math tanh (GenericPacketMathFunctions.h, ptanh_float / ptanh_double, the
# constants of a build without FMA): x clamped, then x + x^3 P(x^2) over Q(x^2), Horner's rule
# one multiply and one add at a time. TF's CPU kernel computes every element so, packets and
# the scalar tail alike (checked on 260,000 float32 inputs: every bit equal).
_TANH = {
    np.dtype(np.float32): (7.90738964080810547,
                           (1.394553628e-8, 2.102733560e-5, 3.520756727e-3, 1.340216100e-1),
                           (8.015776984e-7, 3.326951409e-4, 2.597254514e-2, 4.673548340e-1, 1.0)),
    np.dtype(np.float64): (17.714196154005176,
                           (2.6158007860482230e-23, 7.6534862268749319e-19, 3.1309488231386680e-15,
                            4.2303918148209176e-12, 2.4618379131293676e-09, 6.8644367682497074e-07,
                            9.3839087674268880e-05, 5.9809711724441161e-03, 1.5184719640284322e-01),
                           (6.463747022670968018e-21, 5.782506856739003571e-17,
                            1.293019623712687916e-13, 1.123643448069621992e-10,
                            4.492975677839633985e-08, 8.785185266237658698e-06,
                            8.295161192716231542e-04, 3.437448108450402717e-02,
                            4.851805297361760360e-01, 1.0)),
}


def tanh_coefficients(dtype: Any) -> tuple | None:
    """(clamp, numerator, denominator) of Eigen's tanh for ``dtype``, or None."""
    return _TANH.get(np.dtype(dtype))


def _tanh(x):  # type: ignore[no-untyped-def]
    """Eigen's tanh, each operation's result flushed (FTZ) as TF's kernel computes it; for
    float64 the last ``n % 4`` elements (past its 4-double packets) from C's tanh."""
    x = np.asarray(x)
    coefficients = tanh_coefficients(x.dtype)
    if coefficients is None:
        return np.tanh(x)
    out = _fast_tanh(x, coefficients)
    tail = out.size % 4 if x.dtype == np.float64 else 0
    scalar = eigen_math.libm("tanh", double=True) if tail else None
    if scalar is not None:
        out = np.array(out)
        flat, xs = out.reshape(-1), flush(x).reshape(-1)
        for i in range(out.size - tail, out.size):
            flat[i] = scalar(float(xs[i]))
    return out


def _fast_tanh(x, coefficients):  # type: ignore[no-untyped-def]
    t = x.dtype.type
    clamp, alpha, beta = coefficients
    with np.errstate(all="ignore"):
        c = flush(np.minimum(x, t(clamp)))
        c = flush(np.maximum(c, t(-clamp)))
        x2 = flush(c * c)
        x3 = flush(x2 * c)
        p = np.full_like(x2, t(alpha[0]))
        for a in alpha[1:]:
            p = flush(flush(p * x2) + t(a))
        q = np.full_like(x2, t(beta[0]))
        for b in beta[1:]:
            q = flush(flush(q * x2) + t(b))
        p = flush(flush(x3 * p) + c)
        return flush(p / q)


_UNARY["Tanh"] = _tanh
_UNARY["Sigmoid"] = eigen_math.sigmoid


@register_kernel("SigmoidGrad")
def sigmoid_grad(ctx: KernelContext, inputs: list) -> list:
    """``dy * y * (1 - y)``, its products in the order of TF's packets and scalar tail."""
    y = np.asarray(inputs[0])
    return [np.asarray(eigen_math.sigmoid_grad(y, inputs[1]), dtype=y.dtype)]


@register_kernel("TanhGrad")
def tanh_grad(ctx: KernelContext, inputs: list) -> list:
    """``dy * (1 - y * y)`` (TF's scalar_tanh_gradient_op), each product flushed."""
    y, dy = np.asarray(inputs[0]), np.asarray(inputs[1])
    with np.errstate(all="ignore"):
        return [flush(dy * flush(y.dtype.type(1) - flush(y * y))).astype(y.dtype)]


@register_kernel("ReluGrad")
def relu_grad(ctx: KernelContext, inputs: list) -> list:
    """``gradients * (features > 0)``."""
    g, features = np.asarray(inputs[0]), np.asarray(inputs[1])
    with np.errstate(all="ignore"):
        return [(g * (features > 0).astype(g.dtype)).astype(g.dtype)]


@register_kernel("L2Loss")
def l2_loss(ctx: KernelContext, inputs: list) -> list:
    """``sum(x * x * 0.5)``: TF's Eigen expression, reduced in the order a Sum reduces."""
    x = np.asarray(inputs[0])
    half = (x * x) * x.dtype.type(0.5)
    total = ctx_sum(ctx, half)
    return [total]


def ctx_sum(ctx: KernelContext, x: np.ndarray) -> Any:
    """The full Sum of ``x`` by the device's Sum kernel (Eigen's summation order)."""
    from ..registry import lookup_kernel

    fn = lookup_kernel("Sum", ctx.device_type) or lookup_kernel("Sum", "CPU")
    sum_ctx = KernelContext(ctx.op_name, "Sum", {"T": ctx.attrs["T"], "keep_dims": False},
                            ctx.device_type, ctx.resources)
    return fn(sum_ctx, [x, np.arange(np.ndim(x), dtype=np.int32)])[0]


@register_kernel("ReciprocalGrad")
def reciprocal_grad(ctx: KernelContext, inputs: list) -> list:
    """``-y * y * dy``, 0 where ``dy`` is 0 (TF's scalar_inverse_gradient_op), each product
    flushed."""
    y, dy = np.asarray(inputs[0]), np.asarray(inputs[1])
    with np.errstate(all="ignore"):
        out = flush(flush(-y * y) * dy)
    return [np.where(dy == 0, np.zeros((), y.dtype), out).astype(y.dtype)]


@register_kernel("SqrtGrad")
def sqrt_grad(ctx: KernelContext, inputs: list) -> list:
    """``0.5 * dy / y``, 0 where ``dy`` is 0 (TF's scalar_sqrt_gradient_op)."""
    y, dy = np.asarray(inputs[0]), np.asarray(inputs[1])
    with np.errstate(all="ignore"):
        out = (y.dtype.type(0.5) * dy) / y
    return [np.where(dy == 0, np.zeros((), y.dtype), out).astype(y.dtype)]


# Below this many elements a fresh output is as cheap as checking whether one can be reused.
_FORWARD_MIN_SIZE = 1 << 14


def forwardable(x: Any, dtype: Any, shape: tuple[int, ...], refs: int) -> bool:
    """Whether a kernel may write its output into input ``x`` (TF's
    ``forward_input_or_allocate_output``): a large array owning its memory, of the output's
    dtype and shape, referred to by nothing but the kernel's own ``refs`` references.

    The session drops an input from its table before the kernel that reads it last runs, so
    then only the kernel's ``inputs`` list and its locals refer to it; a variable's storage, a
    constant's value, a fed or fetched array, or the base of a living view, has more
    references and is never overwritten. Element-wise ops read element i before writing it, so
    the result is the same bits as into fresh memory.
    """
    return (type(x) is np.ndarray and x.size >= _FORWARD_MIN_SIZE and x.flags.owndata
            and x.flags.writeable and x.dtype == dtype and x.shape == shape
            and sys.getrefcount(x) <= refs + 2)  # + this function's parameter, getrefcount's


# The binary ufuncs whose output has the inputs' dtype, which may therefore be computed into a
# reused input or a preallocated array (not the comparisons: their output is bool).
_SAME_DTYPE = (np.add, np.subtract, np.multiply, np.true_divide, np.maximum, np.minimum)


def _flat_parts(a: Any, shape: tuple[int, ...]) -> bool:
    """Whether ``a`` can be cut like a flat output of ``shape``: the same shape and C-contiguous,
    or a single value that broadcasts to every part."""
    return np.ndim(a) == 0 or (type(a) is np.ndarray and a.shape == shape
                               and a.flags.c_contiguous)


def ufunc_into(ufunc: np.ufunc, x: Any, y: Any, out: np.ndarray) -> np.ndarray:
    """``ufunc(x, y, out=out)``, large element-wise work cut into one contiguous part per CPU
    (TF shards cwise ops over its intra-op pool the same way; numpy releases the GIL, and every
    element is computed alone, so the bits do not depend on the cut)."""
    parts = parallel.chunks(out.size, out.nbytes) if out.flags.c_contiguous else [(0, 0)]
    if len(parts) < 2 or not (_flat_parts(x, out.shape) and _flat_parts(y, out.shape)):
        return ufunc(x, y, out=out)
    flat = out.reshape(-1)
    xf = x if np.ndim(x) == 0 else x.reshape(-1)
    yf = y if np.ndim(y) == 0 else y.reshape(-1)

    def part(i: int) -> None:
        lo, hi = parts[i]
        with np.errstate(all="ignore"):
            ufunc(xf if np.ndim(xf) == 0 else xf[lo:hi], yf if np.ndim(yf) == 0 else yf[lo:hi],
                  out=flat[lo:hi])
    parallel.run(part, len(parts))
    return out


def _binary_kernel(fn):  # type: ignore[no-untyped-def]
    ufunc = fn if fn in _SAME_DTYPE else None

    def kernel(ctx: KernelContext, inputs: list) -> list:
        x, y = inputs
        t = ctx.attrs.get("T")
        if ufunc is not None and t is not None and type(x) is np.ndarray and x.size >= \
                _FORWARD_MIN_SIZE:
            dt = np.dtype(t.as_numpy_dtype)
            if np.result_type(x, y) == dt:
                shape = np.broadcast_shapes(x.shape, np.shape(y))
                # The kernel's own references to x (or y): the `inputs` list and the local.
                out = (x if forwardable(x, dt, shape, 2)
                       else y if forwardable(y, dt, shape, 2) else np.empty(shape, dt))
                with np.errstate(all="ignore"):
                    return [ufunc_into(ufunc, x, y, out)]
        with np.errstate(all="ignore"):
            out = fn(x, y)
        if ctx.attrs.get("T") is not None and out.dtype != np.bool_:
            out = np.asarray(out, dtype=ctx.attrs["T"].as_numpy_dtype)
        return [out]
    return kernel


def _unary_kernel(fn):  # type: ignore[no-untyped-def]
    def kernel(ctx: KernelContext, inputs: list) -> list:
        with np.errstate(all="ignore"):
            return [fn(inputs[0])]
    return kernel


# Ops with a compiled form that flushes denormals in its one pass (elementwise_jit.py).
_FUSED = {"AddV2": 0, "Add": 0, "Sub": 1, "Mul": 2, "RealDiv": 3}


def _operand(a: Any, dt: np.dtype, shape: tuple[int, ...] | None) -> str | None:
    """How ``a`` enters the compiled loop: "array" (C-contiguous, ``dt``, of ``shape``; any shape
    when ``shape`` is None), "scalar" (a single ``dt`` value), or None (it cannot)."""
    if type(a) is np.ndarray and a.dtype == dt:
        if a.ndim == 0:
            return "scalar"
        if a.flags.c_contiguous and (shape is None or a.shape == shape):
            return "array"
    elif isinstance(a, np.generic) and a.dtype == dt:
        return "scalar"
    return None


def _fused_binary(code: int, generic: Any) -> Any:  # type: ignore[no-untyped-def]
    """The kernel of an op in `_FUSED`: the compiled loop where it applies, else ``generic``
    with the scans of `ftz.flushing`."""
    scanned = flushing(generic)

    @computes_ftz
    def kernel(ctx: KernelContext, inputs: list) -> list:
        x, y = inputs
        t = ctx.attrs.get("T")
        dt = np.dtype(t.as_numpy_dtype) if t is not None else None
        tiny = smallest_normal(dt) if dt is not None else None
        big = x if type(x) is np.ndarray and x.ndim else y
        if tiny is None or type(big) is not np.ndarray or big.size < optional_jit.MIN_SIZE:
            return scanned(ctx, inputs)
        kinds = (_operand(x, dt, None), _operand(y, dt, big.shape))
        if kinds[0] == "scalar":
            kinds = ("scalar", _operand(y, dt, None))
        if None in kinds or kinds == ("scalar", "scalar"):
            return scanned(ctx, inputs)
        jit = optional_jit.for_input("elementwise_jit", big.size)
        if jit is None:
            return scanned(ctx, inputs)
        out = np.empty(big.shape, dt)
        zero = dt.type(0)
        loop = {("array", "array"): jit.arrays, ("array", "scalar"): jit.array_scalar,
                ("scalar", "array"): jit.scalar_array}[kinds]
        xs = dt.type(flush(np.asarray(x))) if kinds[0] == "scalar" else x.reshape(-1)
        ys = dt.type(flush(np.asarray(y))) if kinds[1] == "scalar" else y.reshape(-1)
        flat = out.reshape(-1)
        parts = parallel.chunks(out.size, out.nbytes)

        def part(i: int) -> None:  # elements are independent: any cut gives the same bits
            lo, hi = parts[i]
            loop(code, xs if kinds[0] == "scalar" else xs[lo:hi], ys if kinds[1] == "scalar" else ys[lo:hi],
                 flat[lo:hi], tiny, zero)
        parallel.run(part, len(parts))
        return [out]

    return functools.update_wrapper(kernel, generic)


# Maximum and Minimum of two zeros (equal, whatever their signs): TF's Eigen packets return the
# second operand, its scalar tail (the output's last n % P elements: P = 8 float32s, 4 float64s)
# the first, as std::max / std::min keep the first of equals; float16 the first everywhere.
# numpy's ufuncs say nothing of it (this one's SIMD loops give the second throughout). Observed
# on TF 2.21 for same shapes, a scalar operand and broadcasting: the rule follows the flat output.
_TIE_PACKET = {np.dtype(np.float32): 8, np.dtype(np.float64): 4}


def zero_ties_index(dtype: Any, size: int) -> int:
    """Where Eigen's scalar tail starts in a flat Maximum / Minimum output of ``size`` elements
    (ties before it take the second operand, from it on the first)."""
    p = _TIE_PACKET.get(np.dtype(dtype))
    return size - size % p if p else 0


def _min_max_kernel(ufunc: np.ufunc) -> Any:
    def kernel(ctx: KernelContext, inputs: list) -> list:
        x, y = inputs
        try:
            np.broadcast_shapes(np.shape(x), np.shape(y))
        except ValueError:  # (TF's BCast check, when run)
            from ... import errors
            from ..shape_text import debug_string
            raise errors.InvalidArgumentError(None, None, f"Incompatible shapes: "
                                              f"{debug_string(np.shape(x))} vs. {debug_string(np.shape(y))}") from None
        with np.errstate(all="ignore"):
            out = np.asarray(ufunc(x, y))
        t = ctx.attrs.get("T")
        if t is not None:
            out = np.asarray(out, dtype=t.as_numpy_dtype)
        if out.dtype.kind != "f" or not out.size or not np.count_nonzero(out == 0):
            return [out]
        first, second = np.broadcast_to(x, out.shape), np.broadcast_to(y, out.shape)
        ties = (out == 0) & (first == 0) & (second == 0)
        if not ties.any():
            return [out]
        packets = np.arange(out.size).reshape(out.shape) < zero_ties_index(out.dtype, out.size)
        return [np.where(ties, np.where(packets, second, first), out).astype(out.dtype)]
    return kernel


for _op, _fn in _BINARY.items():
    if _op in _FUSED:
        register_kernel(_op)(_fused_binary(_FUSED[_op], _binary_kernel(_fn)))
    elif _op in ("Maximum", "Minimum"):
        register_kernel(_op)(_min_max_kernel(_fn))
    else:
        register_kernel(_op)(_binary_kernel(_fn))
for _op, _fn in _UNARY.items():
    register_kernel(_op, types=UNARY_TYPES.get(_op))(_unary_kernel(_fn))


@register_kernel("Cast")
def cast(ctx: KernelContext, inputs: list) -> list:
    dst = ctx.attrs["DstT"]
    x = np.asarray(inputs[0])
    if dst.is_bool:
        return [x != 0]
    with np.errstate(all="ignore"):
        return [x.astype(dst.as_numpy_dtype)]


@register_kernel("MatMul")
def matmul(ctx: KernelContext, inputs: list) -> list:
    a, b = inputs
    if ctx.attrs.get("transpose_a"):
        a = np.transpose(a)
    if ctx.attrs.get("transpose_b"):
        b = np.transpose(b)
    return [np.matmul(a, b)]


@register_kernel("AddN")
def add_n(ctx: KernelContext, inputs: list) -> list:
    total = inputs[0]
    for x in inputs[1:]:
        total = np.add(total, x)
    return [total]
