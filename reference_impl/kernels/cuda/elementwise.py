"""GPU kernels: element-wise arithmetic and comparisons with numpy broadcasting, AddN.

One grid-stride kernel per op, over the output's elements: each thread turns its linear output
index into the inputs' offsets with per-input broadcast strides (0 along broadcast axes).
Every operation is one rounding in the operands' dtype, as the CPU kernels' numpy ufuncs do, so
float32 results are bit-identical. (Exp, Log, Sin and Cos: eigen_math.py.)
"""

from __future__ import annotations

import math
from typing import Any, Callable, NamedTuple

import numpy as np
from numba import cuda, float64

from ..cpu import broadcast as cpu_broadcast
from ..cpu import math as cpu_math
from ..cpu import select as cpu_select
from ..cpu import tile as cpu_tile
from ..registry import GPU, KernelContext, register_kernel
from . import runtime


@runtime.device_function
def bcast_offset(i: int, out_shape: Any, strides: Any) -> int:
    """The offset in a broadcast input of output element ``i`` (row-major)."""
    off = 0
    rem = i
    for axis in range(out_shape.size - 1, -1, -1):
        d = out_shape[axis]
        off += (rem % d) * strides[axis]
        rem //= d
    return off


class BinaryKernel(NamedTuple):
    """A binary op's kernels, chosen by the operands' shapes as TF's cwise ops choose theirs.
    ``general`` reads each operand through broadcast strides: a div and a mod per output
    dimension and operand for every element (slow on a GPU; under the simulator most of the
    work). ``same`` serves operands of the output's size (offset ``i`` for both); ``scalar``
    one operand of a single element, read once, with the other of the output's size."""

    general: Any
    same: Any
    scalar: Any


def _make_binary(fn: Callable) -> BinaryKernel:
    device_fn = runtime.device_function(fn)

    @cuda.jit
    def kernel(x, y, out, out_shape, x_strides, y_strides):  # type: ignore[no-untyped-def]
        for i in range(cuda.grid(1), out.size, cuda.gridsize(1)):
            out[i] = device_fn(x[bcast_offset(i, out_shape, x_strides)],
                               y[bcast_offset(i, out_shape, y_strides)])

    @cuda.jit
    def same_kernel(x, y, out):  # type: ignore[no-untyped-def]
        for i in range(cuda.grid(1), out.size, cuda.gridsize(1)):
            out[i] = device_fn(x[i], y[i])

    @cuda.jit
    def scalar_kernel(x, y, out, scalar_first):  # type: ignore[no-untyped-def]
        # x (scalar_first) or else y is the single element. Two names, so that each keeps
        # its operand's type on a GPU (one variable would unify x's and y's dtypes).
        if scalar_first:
            xv = x[0]
            for i in range(cuda.grid(1), out.size, cuda.gridsize(1)):
                out[i] = device_fn(xv, y[i])
        else:
            yv = y[0]
            for i in range(cuda.grid(1), out.size, cuda.gridsize(1)):
                out[i] = device_fn(x[i], yv)
    return BinaryKernel(kernel, same_kernel, scalar_kernel)


def _make_unary(fn: Callable) -> Any:
    device_fn = runtime.device_function(fn)

    @cuda.jit
    def kernel(x, out):  # type: ignore[no-untyped-def]
        for i in range(cuda.grid(1), out.size, cuda.gridsize(1)):
            out[i] = device_fn(x[i])
    return kernel


# numpy's maximum/minimum: the first operand when it is NaN or strictly wins, else the second
# (so NaNs propagate and of two equal zeros the second is kept, as np.maximum's loops do).
def _maximum(a, b):  # type: ignore[no-untyped-def]
    return a if (a > b or a != a) else b


def _minimum(a, b):  # type: ignore[no-untyped-def]
    return a if (a < b or a != a) else b


_ARITHMETIC: dict[str, Callable] = {
    "AddV2": lambda a, b: a + b, "Add": lambda a, b: a + b, "Sub": lambda a, b: a - b,
    "Mul": lambda a, b: a * b, "RealDiv": lambda a, b: a / b,
    "FloorDiv": lambda a, b: a // b, "FloorMod": lambda a, b: a % b,
    "Pow": lambda a, b: a ** b, "Maximum": _maximum, "Minimum": _minimum,
    "Xdivy": lambda a, b: (a - a) if a == 0 else a / b,  # 0 (a positive one) where a == 0
    "DivNoNan": lambda a, b: (b - b) if b == 0 else a / b,  # +0 where b == 0, whatever a is
}
_PREDICATES: dict[str, Callable] = {
    "Equal": lambda a, b: a == b, "NotEqual": lambda a, b: a != b,
    "Less": lambda a, b: a < b, "LessEqual": lambda a, b: a <= b,
    "Greater": lambda a, b: a > b, "GreaterEqual": lambda a, b: a >= b,
    "LogicalAnd": lambda a, b: bool(a) and bool(b), "LogicalOr": lambda a, b: bool(a) or bool(b),
}


def _int_div(a, b):  # type: ignore[no-untyped-def]
    # C++'s integer `/`: truncation toward zero (Python's `//` floors).
    q = a // b
    if a % b != 0 and (a < 0) != (b < 0):
        q += 1
    return q


_INT_DIV = _make_binary(_int_div)
_REAL_DIV = _make_binary(lambda a, b: a / b)


@register_kernel("Div", GPU)
def div(ctx: KernelContext, inputs: list) -> list:
    """``Div``: truncating for integer ``T``, real division for the others."""
    x, y = (runtime.to_device(v) for v in inputs)
    dtype = np.dtype(ctx.attrs["T"].as_numpy_dtype)
    kernel = _INT_DIV if dtype.kind in "iu" else _REAL_DIV
    return [broadcast_binary(kernel, x, y, dtype)]


def _floor(a):  # type: ignore[no-untyped-def]
    # In the operand's dtype (math.floor gives an int, and fails on NaN): a minus its floor
    # remainder; infinities and NaN are their own floor, -0.0 stays -0.0.
    if a - a != 0:
        return a
    return a - a % 1


def _ceil(a):  # type: ignore[no-untyped-def]
    return -_floor_device(-a)


_floor_device = runtime.device_function(_floor)

_UNARY: dict[str, Callable] = {
    "Floor": _floor, "Ceil": _ceil,
    "Neg": lambda a: -a, "Square": lambda a: a * a,
    # numpy's results where Python's math raises: NaN below zero, log(0) = -inf.
    "Sqrt": lambda a: math.sqrt(a) if a >= 0 else (a - a) / (a - a),
    "Abs": lambda a: abs(a),
    "Reciprocal": lambda a: 1 / a,
    # NaN for NaN, +0 for either zero
    "Sign": lambda a: a if a != a else (1.0 if a > 0 else (-1.0 if a < 0 else 0.0)),
}


def broadcast_binary(kernel: BinaryKernel, x: Any, y: Any, out_dtype: Any) -> Any:
    """Run a binary ``kernel`` over the broadcast shape of ``x`` and ``y`` (device arrays)."""
    try:
        shape = np.broadcast_shapes(x.shape, y.shape)
    except ValueError:
        # numpy's message, as the CPU kernel raises it.
        raise ValueError(f"operands could not be broadcast together with shapes {x.shape} "
                         f"{y.shape} ") from None
    out = runtime.empty(shape, out_dtype)
    n = out.size
    # An operand as large as the output is not broadcast along any axis (its broadcast
    # strides are the output's own): its offset is i.
    if x.size == n and y.size == n:
        runtime.launch(kernel.same, n, runtime.flat(x), runtime.flat(y), runtime.flat(out))
        return out
    if (x.size == 1 and y.size == n) or (x.size == n and y.size == 1):
        runtime.launch(kernel.scalar, n, runtime.flat(x), runtime.flat(y), runtime.flat(out),
                       x.size == 1)
        return out
    kshape = shape or (1,)
    runtime.launch(kernel.general, n, runtime.flat(x), runtime.flat(y), runtime.flat(out),
                   runtime.shape_array(kshape),
                   runtime.shape_array(runtime.broadcast_strides(x.shape, kshape)),
                   runtime.shape_array(runtime.broadcast_strides(y.shape, kshape)))
    return out


@cuda.jit
def tail_ties_kernel(x, y, out, cut, out_shape, x_strides, y_strides):  # type: ignore[no-untyped-def]
    # Maximum / Minimum from `cut` on (TF's scalar tail, kernels/cpu/math.py: zero_ties_index):
    # of two zeros the first operand (_maximum / _minimum, like TF's packets, give the second).
    for j in range(cuda.grid(1), out.size - cut, cuda.gridsize(1)):
        i = cut + j
        a = x[bcast_offset(i, out_shape, x_strides)]
        if a == 0 and y[bcast_offset(i, out_shape, y_strides)] == 0:
            out[i] = a


def _first_of_tied_zeros(x: Any, y: Any, out: Any) -> None:
    """Give the scalar tail's ties the first operand, as TF's CPU kernel does."""
    dtype = np.dtype(out.dtype)
    if dtype.kind != "f" or not out.size:
        return
    cut = cpu_math.zero_ties_index(dtype, out.size)
    if cut == out.size:
        return
    shape = tuple(out.shape) or (1,)
    runtime.launch(tail_ties_kernel, out.size - cut, runtime.flat(x), runtime.flat(y),
                   runtime.flat(out), cut, runtime.shape_array(shape),
                   runtime.shape_array(runtime.broadcast_strides(x.shape, shape)),
                   runtime.shape_array(runtime.broadcast_strides(y.shape, shape)))


def _register_binary(op: str, fn: Callable, predicate: bool) -> None:
    kernel = _make_binary(fn)

    @register_kernel(op, GPU)
    def gpu_binary(ctx: KernelContext, inputs: list) -> list:
        x, y = (runtime.to_device(v) for v in inputs)
        if predicate:
            dtype = np.bool_
        elif ctx.attrs.get("T") is not None:
            dtype = ctx.attrs["T"].as_numpy_dtype
        else:
            dtype = np.result_type(x.dtype, y.dtype)
        out = broadcast_binary(kernel, x, y, dtype)
        if op in ("Maximum", "Minimum"):
            _first_of_tied_zeros(x, y, out)
        return [out]


def _register_unary(op: str, fn: Callable, bool_out: bool = False) -> None:
    kernel = _make_unary(fn)

    @register_kernel(op, GPU, types=cpu_math.UNARY_TYPES.get(op))
    def gpu_unary(ctx: KernelContext, inputs: list) -> list:
        x = runtime.to_device(inputs[0])
        out = runtime.empty(x.shape, np.bool_ if bool_out else x.dtype)
        runtime.launch(kernel, out.size, runtime.flat(x), runtime.flat(out))
        return [out]


for _op, _fn in _ARITHMETIC.items():
    if _op != "Pow":  # (below: float32 as TF's CPU kernel rounds it)
        _register_binary(_op, _fn, predicate=False)

@cuda.jit
def relu_kernel(x, out, packed, peeled, tiny):  # type: ignore[no-untyped-def]
    # As the CPU kernel (kernels/cpu/math.py: _relu): a denormal reads as a zero of its sign, NaN
    # stays NaN; of two zeros the packets give +0, the scalar tail the zero; the tail's lone
    # first element keeps a denormal.
    for i in range(cuda.grid(1), out.size, cuda.gridsize(1)):
        raw = x[i]
        a = raw * 0 if abs(raw) < tiny else raw
        if i == peeled and not a < 0:
            out[i] = raw
        else:
            out[i] = a if (a > 0 or a != a or (a == 0 and i >= packed)) else 0


@register_kernel("Relu", GPU)
def relu(ctx: KernelContext, inputs: list) -> list:
    from ..cpu.math import relu_packet_size, relu_peeled

    x = runtime.to_device(inputs[0])
    dtype = np.dtype(x.dtype)
    out = runtime.empty(tuple(x.shape), dtype)
    if out.size:
        floating = dtype.kind == "f"
        packed = out.size - out.size % relu_packet_size(dtype) if floating else out.size
        tiny = np.finfo(dtype).tiny if dtype in (np.float32, np.float64) else 0
        runtime.launch(relu_kernel, out.size, runtime.flat(x), runtime.flat(out), packed,
                       relu_peeled(out.size, dtype), dtype.type(tiny))
    return [out]


# ReluGrad(gradients, features): the gradient where the feature is positive, else times 0.
_register_binary("ReluGrad", lambda g, f: g * (1.0 if f > 0 else 0.0), predicate=False)


@runtime.device_function
def _ftz(v, tiny):  # type: ignore[no-untyped-def]
    # FTZ of one result: a zero of v's sign where v is denormal.
    return v * 0 if abs(v) < tiny else v


@cuda.jit
def tanh_kernel(x, out, clamp, alpha, beta, tiny):  # type: ignore[no-untyped-def]
    # Eigen's fast-math tanh as the CPU kernel computes it (kernels/cpu/math.py), in the
    # arrays' dtype: the coefficients arrive as arrays of it, each result flushed.
    for i in range(cuda.grid(1), out.size, cuda.gridsize(1)):
        c = x[i]
        c = clamp[0] if c > clamp[0] else c  # (NaN passes both clamps)
        c = -clamp[0] if c < -clamp[0] else c
        x2 = _ftz(c * c, tiny[0])
        x3 = _ftz(x2 * c, tiny[0])
        p = alpha[0]
        for k in range(1, alpha.size):
            p = _ftz(_ftz(p * x2, tiny[0]) + alpha[k], tiny[0])
        q = beta[0]
        for k in range(1, beta.size):
            q = _ftz(_ftz(q * x2, tiny[0]) + beta[k], tiny[0])
        p = _ftz(_ftz(x3 * p, tiny[0]) + c, tiny[0])
        out[i] = _ftz(p / q, tiny[0])


@register_kernel("Tanh", GPU)
def tanh(ctx: KernelContext, inputs: list) -> list:
    """Eigen's tanh (float32, float64; for float64 the last ``n % 4`` elements from the
    device's tanh, where TF's CPU takes C's)."""
    from ..cpu.math import tanh_coefficients

    x = runtime.to_device(inputs[0])
    dtype = np.dtype(x.dtype)
    coefficients = tanh_coefficients(dtype)
    out = runtime.empty(tuple(x.shape), dtype)
    if coefficients is None or not out.size:
        if out.size:
            runtime.launch(_PLAIN_TANH, out.size, runtime.flat(x), runtime.flat(out))
        return [out]
    clamp, alpha, beta = coefficients
    runtime.launch(tanh_kernel, out.size, runtime.flat(x), runtime.flat(out),
                   runtime.to_device(np.asarray([clamp], dtype)),
                   runtime.to_device(np.asarray(alpha, dtype)),
                   runtime.to_device(np.asarray(beta, dtype)),
                   runtime.to_device(np.asarray([np.finfo(dtype).tiny], dtype)))
    tail = out.size % 4 if dtype == np.float64 else 0
    if tail:
        host, source = runtime.to_host(out), runtime.to_host(x).reshape(-1)
        flat = host.reshape(-1)
        for i in range(out.size - tail, out.size):
            flat[i] = math.tanh(source[i])
        out = runtime.to_device(host)
    return [out]


# TanhGrad(y, dy): dy * (1 - y * y), in the operands' dtype (y * 0 + 1 is a one of it).
_register_binary("TanhGrad", lambda y, dy: dy * ((y * 0 + 1) - y * y), predicate=False)


@register_kernel("Where", GPU)
def where(ctx: KernelContext, inputs: list) -> list:
    """The coordinates of the true elements: their number decides the output's shape, so the
    condition is read on the host (TF's GPU kernel also waits for that count), the
    coordinates returned on the device."""
    from ..cpu import select as cpu_select

    return [runtime.to_device(cpu_select.where(ctx, [runtime.to_host(inputs[0])])[0])]


@register_kernel("L2Loss", GPU)
def l2_loss(ctx: KernelContext, inputs: list) -> list:
    """``sum(x * x * 0.5)`` by the GPU's Square, Mul and Sum kernels (the CPU's order)."""
    from ..cpu.math import ctx_sum
    from ..registry import lookup_kernel

    x = runtime.to_device(inputs[0])
    dtype = np.dtype(ctx.attrs["T"].as_numpy_dtype)
    square = lookup_kernel("Square", GPU)(ctx, [x])[0]
    half = lookup_kernel("Mul", GPU)(ctx, [square, np.asarray(0.5, dtype)])[0]
    return [ctx_sum(ctx, half)]


# ReciprocalGrad(y, dy): -y * y * dy, 0 where dy is 0 (as the CPU kernel).
_register_binary("ReciprocalGrad", lambda y, dy: (dy - dy) if dy == 0 else (-y * y) * dy,
                 predicate=False)
# SqrtGrad(y, dy): 0.5 * dy / y, 0 where dy is 0 (as the CPU kernel).
_register_binary("SqrtGrad", lambda y, dy: (dy - dy) if dy == 0 else (0.5 * dy) / y,
                 predicate=False)

_POW = _make_binary(_ARITHMETIC["Pow"])
for _op, _fn in _PREDICATES.items():
    _register_binary(_op, _fn, predicate=True)
for _op, _fn in _UNARY.items():
    _register_unary(_op, _fn)
_PLAIN_TANH = _make_unary(lambda a: math.tanh(a))  # (dtypes without Eigen's fast tanh)
_register_unary("LogicalNot", lambda a: not a, bool_out=True)

ADD = _make_binary(_ARITHMETIC["AddV2"])
SUB = _make_binary(_ARITHMETIC["Sub"])


@register_kernel("AddN", GPU)
def add_n(ctx: KernelContext, inputs: list) -> list:
    # Left to right, one rounding per addition, as the CPU kernel sums.
    total = runtime.to_device(inputs[0])
    for x in inputs[1:]:
        x = runtime.to_device(x)
        total = broadcast_binary(ADD, total, x, np.result_type(total.dtype, x.dtype))
    return [total]  # one input: that input itself, as on the CPU


@cuda.jit
def select_kernel(cond, x, y, out, out_shape, c_strides, x_strides, y_strides):  # type: ignore[no-untyped-def]
    for i in range(cuda.grid(1), out.size, cuda.gridsize(1)):
        if cond[bcast_offset(i, out_shape, c_strides)]:
            out[i] = x[bcast_offset(i, out_shape, x_strides)]
        else:
            out[i] = y[bcast_offset(i, out_shape, y_strides)]


@register_kernel("SelectV2", GPU)
def select_v2(ctx: KernelContext, inputs: list) -> list:
    cond, x, y = (runtime.to_device(v) for v in inputs)
    shape = np.broadcast_shapes(cond.shape, x.shape, y.shape) or (1,)
    out = runtime.empty(np.broadcast_shapes(cond.shape, x.shape, y.shape),
                        ctx.attrs["T"].as_numpy_dtype)
    runtime.launch(select_kernel, out.size, runtime.flat(cond), runtime.flat(x), runtime.flat(y),
                   runtime.flat(out), runtime.shape_array(shape),
                   *(runtime.shape_array(runtime.broadcast_strides(v.shape, shape))
                     for v in (cond, x, y)))
    return [out]


@register_kernel("Select", GPU)
def select(ctx: KernelContext, inputs: list) -> list:
    """TF1's ``where``: the CPU kernel's checks, then SelectV2's kernel with ``cond`` viewed
    as broadcasting over ``x`` (rows for a vector ``cond``, everything for a scalar). Strings
    stay on the host, as TF has no GPU Select for them."""
    if isinstance(inputs[1], np.ndarray) and inputs[1].dtype == object:
        return cpu_select.select(ctx, [runtime.to_host(v) for v in inputs])
    cond, x, y = (runtime.to_device(v) for v in inputs)
    view = cpu_select.cond_view(ctx.op_name, tuple(cond.shape), tuple(x.shape), tuple(y.shape))
    shape = tuple(x.shape) or (1,)
    out = runtime.empty(tuple(x.shape), ctx.attrs["T"].as_numpy_dtype)
    if out.size:
        runtime.launch(select_kernel, out.size, runtime.flat(cond), runtime.flat(x),
                       runtime.flat(y), runtime.flat(out), runtime.shape_array(shape),
                       runtime.shape_array(runtime.broadcast_strides(view, shape)),
                       *(runtime.shape_array(runtime.broadcast_strides(shape, shape))
                         for _ in (x, y)))
    return [out]


@cuda.jit
def broadcast_kernel(x, out, out_shape, x_strides):  # type: ignore[no-untyped-def]
    for i in range(cuda.grid(1), out.size, cuda.gridsize(1)):
        out[i] = x[bcast_offset(i, out_shape, x_strides)]


@cuda.jit
def tile_kernel(x, out, out_shape, x_shape, x_strides):  # type: ignore[no-untyped-def]
    for i in range(cuda.grid(1), out.size, cuda.gridsize(1)):
        off = 0
        rem = i
        for axis in range(out_shape.size - 1, -1, -1):  # output position, wrapped into the input
            off += (rem % out_shape[axis]) % x_shape[axis] * x_strides[axis]
            rem //= out_shape[axis]
        out[i] = x[off]


@register_kernel("Tile", GPU)
def tile(ctx: KernelContext, inputs: list) -> list:
    x = runtime.to_device(inputs[0])
    multiples = cpu_tile.check_multiples(x.shape, np.asarray(runtime.to_host(inputs[1])))
    shape = tuple(d * m for d, m in zip(x.shape, multiples))
    out = runtime.empty(shape, x.dtype)
    if out.size:
        in_shape = x.shape or (1,)
        runtime.launch(tile_kernel, out.size, runtime.flat(x), runtime.flat(out),
                       runtime.shape_array(shape or (1,)), runtime.shape_array(in_shape),
                       runtime.shape_array(runtime.broadcast_strides(in_shape, in_shape)))
    return [out]


@register_kernel("BroadcastTo", GPU)
def broadcast_to(ctx: KernelContext, inputs: list) -> list:
    x = runtime.to_device(inputs[0])
    # The shape is host memory (TF's HostMemory("shape")): the CPU kernel's checks and messages.
    shape = cpu_broadcast.broadcast_shape(tuple(x.shape), runtime.to_host(inputs[1]))
    if shape == tuple(x.shape):
        return [x]  # (TF forwards the input's buffer)
    out = runtime.empty(shape, x.dtype)
    kshape = shape or (1,)
    runtime.launch(broadcast_kernel, out.size, runtime.flat(x), runtime.flat(out),
                   runtime.shape_array(kshape),
                   runtime.shape_array(runtime.broadcast_strides(x.shape, kshape)))
    return [out]
