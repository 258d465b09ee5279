"""GPU kernels of the fused training ops (every optimizer's Apply* update), one thread per
variable element, updating the variable and its slots in place.

Each kernel performs the CPU kernel's (``kernels/cpu/training.py``) operations in the same order
with one rounding per operation in the variable's dtype; the scalar coefficients the CPU kernel
computes once with numpy (Adam's ``alpha``, ``1 - beta1`` …) are computed the same way on the
host and passed as one-element arrays of that dtype, so no Python float (a double) ever enters
float32 arithmetic. ``T(_sqrt(x))`` rounds a square root to the dtype before it is used
(the simulator's ``math.sqrt`` returns a double; on a GPU it is already ``sqrtf``).
"""

from __future__ import annotations

import math
from typing import Any, Callable

import numba
import numpy as np
from numba import cuda

from ... import errors
from ..registry import GPU, KernelContext, register_kernel
from ..resource_updates import register_resource_forms
from ..training_checks import checks_gradient_shape
from . import runtime


def _slots(refs: list) -> list:
    """The variable and slot buffers, on the device (a value left on the host moves there)."""
    out = []
    for ref in refs:
        if ref.value is None:
            raise errors.FailedPreconditionError(
                None, None, f"Attempting to use uninitialized value {ref.name}")
        if not runtime.is_device(ref.value):
            ref.value = runtime.to_device(np.array(ref.value))
        out.append(runtime.flat(ref.value))
    return out


def _scalars(dt: np.dtype, values: list) -> list:
    """The CPU kernel's scalar inputs, as numpy scalars of the variable's dtype."""
    return [dt.type(np.asarray(runtime.to_host(v)).reshape(())) for v in values]


def _dev(dt: np.dtype, *values: Any) -> list:
    """Scalars handed to a kernel: one-element device arrays of the variable's dtype."""
    return [runtime.to_device(np.asarray([v], dt)) for v in values]


_CACHE: dict[tuple[str, np.dtype], Any] = {}


def _kernel(name: str, dt: np.dtype, make: Callable[[Any], Any]) -> Any:
    """The kernel ``make`` builds for dtype ``dt`` (compiled once per op and dtype)."""
    key = (name, np.dtype(dt))
    if key not in _CACHE:
        _CACHE[key] = make(numba.from_dtype(np.dtype(dt)))
    return _CACHE[key]


@runtime.device_function
def _sqrt(x):  # type: ignore[no-untyped-def]
    # NaN below zero, as np.sqrt (the simulator's math.sqrt raises there).
    return math.sqrt(x) if x >= 0 else (x - x) / (x - x)


def _make_sign(T: Any) -> Any:
    """np.sign in dtype T: 1, -1, +0 for either zero, NaN for NaN (typed, so that no int or
    double enters the float32 product it is used in)."""
    @runtime.device_function
    def sign(a):  # type: ignore[no-untyped-def]
        if a > 0:
            return T(1)
        if a < 0:
            return T(-1)
        return T(0) if a == 0 else a
    return sign


def _launch(kernel: Any, var: Any, *args: Any) -> None:
    runtime.launch(kernel, var.size, var, *args)


# -- GradientDescent, Momentum ---------------------------------------------------------------

def _make_gd(T: Any) -> Any:
    @cuda.jit
    def k(var, alpha, delta):  # type: ignore[no-untyped-def]
        i = cuda.grid(1)
        while i < var.size:
            var[i] = var[i] - delta[i] * alpha[0]
            i += cuda.gridsize(1)
    return k


@register_kernel("ApplyGradientDescent", GPU)
@checks_gradient_shape
def apply_gradient_descent(ctx: KernelContext, inputs: list) -> list:
    (var,) = _slots(inputs[:1])
    dt = np.dtype(var.dtype)
    _launch(_kernel("gd", dt, _make_gd), var, *_dev(dt, *_scalars(dt, inputs[1:2])),
            runtime.flat(runtime.to_device(inputs[2])))
    return [inputs[0]]


def _make_momentum(T: Any) -> Any:
    @cuda.jit
    def k(var, accum, lr, grad, momentum, nesterov):  # type: ignore[no-untyped-def]
        i = cuda.grid(1)
        while i < var.size:
            accum[i] = accum[i] * momentum[0] + grad[i]
            if nesterov:
                var[i] = var[i] - (grad[i] * lr[0] + accum[i] * momentum[0] * lr[0])
            else:
                var[i] = var[i] - accum[i] * lr[0]
            i += cuda.gridsize(1)
    return k


@register_kernel("ApplyMomentum", GPU)
@checks_gradient_shape
def apply_momentum(ctx: KernelContext, inputs: list) -> list:
    var, accum = _slots(inputs[:2])
    dt = np.dtype(var.dtype)
    lr, momentum = _dev(dt, *_scalars(dt, [inputs[2], inputs[4]]))
    _launch(_kernel("momentum", dt, _make_momentum), var, accum, lr,
            runtime.flat(runtime.to_device(inputs[3])), momentum,
            bool(ctx.attrs.get("use_nesterov")))
    return [inputs[0]]


# -- Adagrad, AdagradDA ----------------------------------------------------------------------

def _make_adagrad(T: Any) -> Any:
    @cuda.jit
    def k(var, accum, lr, grad, one, update_slots):  # type: ignore[no-untyped-def]
        i = cuda.grid(1)
        while i < var.size:
            g = grad[i]
            if update_slots:
                accum[i] = accum[i] + g * g
            var[i] = var[i] - g * lr[0] * (one[0] / T(_sqrt(accum[i])))
            i += cuda.gridsize(1)
    return k


@register_kernel("ApplyAdagrad", GPU)
@checks_gradient_shape
def apply_adagrad(ctx: KernelContext, inputs: list) -> list:
    var, accum = _slots(inputs[:2])
    dt = np.dtype(var.dtype)
    _launch(_kernel("adagrad", dt, _make_adagrad), var, accum,
            *_dev(dt, *_scalars(dt, inputs[2:3])), runtime.flat(runtime.to_device(inputs[3])),
            *_dev(dt, 1), bool(ctx.attrs.get("update_slots", True)))
    return [inputs[0]]


def _make_adagrad_da(T: Any) -> Any:
    _sign = _make_sign(T)

    @cuda.jit
    def k(var, g_acc, gg_acc, grad, neg_lr, lr, c, step_l1, zero, minus_one,  # type: ignore[no-untyped-def]
          use_l1):
        i = cuda.grid(1)
        while i < var.size:
            g = grad[i]
            g_acc[i] = g_acc[i] + g
            gg_acc[i] = gg_acc[i] + g * g
            denom = c[0] + T(_sqrt(gg_acc[i]))
            if use_l1:
                a = abs(g_acc[i]) - step_l1[0]
                shrunk = a if (a >= zero[0] or a != a) else zero[0]  # np.maximum(a, 0)
                var[i] = neg_lr[0] * _sign(g_acc[i]) * shrunk / denom
            else:
                var[i] = lr[0] * g_acc[i] * minus_one[0] / denom
            i += cuda.gridsize(1)
    return k


@register_kernel("ApplyAdagradDA", GPU)
@checks_gradient_shape
def apply_adagrad_da(ctx: KernelContext, inputs: list) -> list:
    var, g_acc, gg_acc = _slots(inputs[:3])
    dt = np.dtype(var.dtype)
    t = dt.type
    lr, l1, l2 = _scalars(dt, inputs[4:7])
    step = t(np.float32(np.asarray(runtime.to_host(inputs[7])).reshape(())))
    c = l2 * t(step * lr)
    _launch(_kernel("adagrad_da", dt, _make_adagrad_da), var, g_acc, gg_acc,
            runtime.flat(runtime.to_device(inputs[3])),
            *_dev(dt, lr * t(-1), lr, c, step * l1, 0, -1), bool(l1 > 0))
    return [inputs[0]]


# -- Adam ------------------------------------------------------------------------------------

def _make_adam(T: Any) -> Any:
    @cuda.jit
    def k(var, m, v, grad, alpha, beta1, omb1, omb2, eps, nesterov):  # type: ignore[no-untyped-def]
        i = cuda.grid(1)
        while i < var.size:
            g = grad[i]
            m[i] = m[i] + (g - m[i]) * omb1[0]
            v[i] = v[i] + (g * g - v[i]) * omb2[0]
            if nesterov:
                var[i] = var[i] - ((g * omb1[0] + beta1[0] * m[i]) * alpha[0]) / (
                    T(_sqrt(v[i])) + eps[0])
            else:
                var[i] = var[i] - (m[i] * alpha[0]) / (T(_sqrt(v[i])) + eps[0])
            i += cuda.gridsize(1)
    return k


@register_kernel("ApplyAdam", GPU)
@checks_gradient_shape
def apply_adam(ctx: KernelContext, inputs: list) -> list:
    var, m, v = _slots(inputs[:3])
    dt = np.dtype(var.dtype)
    b1p, b2p, lr, beta1, beta2, eps = _scalars(dt, inputs[3:9])
    one = dt.type(1)
    alpha = lr * np.sqrt(one - b2p) / (one - b1p)  # on the host, as the CPU kernel does
    _launch(_kernel("adam", dt, _make_adam), var, m, v,
            runtime.flat(runtime.to_device(inputs[9])),
            *_dev(dt, alpha, beta1, one - beta1, one - beta2, eps),
            bool(ctx.attrs.get("use_nesterov")))
    return [inputs[0]]


# -- RMSProp, centered RMSProp ---------------------------------------------------------------

def _make_rms_prop(T: Any) -> Any:
    @cuda.jit
    def k(var, mg, ms, mom, lr, omr, momentum, eps, grad, centered):  # type: ignore[no-untyped-def]
        i = cuda.grid(1)
        while i < var.size:
            g = grad[i]
            ms[i] = ms[i] + (g * g - ms[i]) * omr[0]
            if centered:
                mg[i] = mg[i] + (g - mg[i]) * omr[0]
                denom = (ms[i] - mg[i] * mg[i]) + eps[0]
            else:
                denom = ms[i] + eps[0]
            mom[i] = mom[i] * momentum[0] + (g * lr[0]) / T(_sqrt(denom))
            var[i] = var[i] - mom[i]
            i += cuda.gridsize(1)
    return k


def _rms_prop(inputs: list, refs: int, centered: bool) -> list:
    slots = _slots(inputs[:refs])
    var, mg, ms, mom = (slots if centered else [slots[0], slots[1], slots[1], slots[2]])
    dt = np.dtype(var.dtype)
    lr, rho, momentum, eps = _scalars(dt, inputs[refs:refs + 4])
    _launch(_kernel("rms_prop", dt, _make_rms_prop), var, mg, ms, mom,
            *_dev(dt, lr, dt.type(1) - rho, momentum, eps),
            runtime.flat(runtime.to_device(inputs[refs + 4])), centered)
    return [inputs[0]]


@register_kernel("ApplyRMSProp", GPU)
@checks_gradient_shape
def apply_rms_prop(ctx: KernelContext, inputs: list) -> list:
    return _rms_prop(inputs, 3, centered=False)


@register_kernel("ApplyCenteredRMSProp", GPU)
@checks_gradient_shape
def apply_centered_rms_prop(ctx: KernelContext, inputs: list) -> list:
    return _rms_prop(inputs, 4, centered=True)


# -- Ftrl, FtrlV2 ----------------------------------------------------------------------------

def _make_ftrl(T: Any) -> Any:
    _sign = _make_sign(T)

    @cuda.jit
    def k(var, accum, linear, grad, lr, l1, two_l2, neg_power, two_shrinkage, zero,  # type: ignore[no-untyped-def]
          half_power, shrink):
        i = cuda.grid(1)
        while i < var.size:
            g = grad[i]
            w = var[i]
            g_shrunk = g + two_shrinkage[0] * w if shrink else g
            old = accum[i]
            new = old + g * g
            if half_power:  # lr_power == -0.5: square roots
                linear[i] = linear[i] + (g_shrunk - (T(_sqrt(new)) - T(_sqrt(old)))
                                         / lr[0] * w)
                y = T(_sqrt(new)) / lr[0] + two_l2[0]
            else:
                linear[i] = linear[i] + (g_shrunk - (T(new ** neg_power[0])
                                                     - T(old ** neg_power[0]))
                                         / lr[0] * w)
                y = T(new ** neg_power[0]) / lr[0] + two_l2[0]
            lin = linear[i]
            x = l1[0] * _sign(lin) - lin
            var[i] = x / y if abs(lin) > l1[0] else zero[0]
            accum[i] = old + g * g
            i += cuda.gridsize(1)
    return k


def _ftrl(inputs: list, scalars: list, shrinkage: Any) -> list:
    var, accum, linear = _slots(inputs[:3])
    dt = np.dtype(var.dtype)
    t = dt.type
    lr, l1, l2, lr_power = scalars
    _launch(_kernel("ftrl", dt, _make_ftrl), var, accum, linear,
            runtime.flat(runtime.to_device(inputs[3])),
            *_dev(dt, lr, l1, t(2) * l2, -lr_power,
                  t(2) * shrinkage if shrinkage is not None else 0, 0),
            bool(lr_power == t(-0.5)), shrinkage is not None)
    return [inputs[0]]


@register_kernel("ApplyFtrl", GPU)
@checks_gradient_shape
def apply_ftrl(ctx: KernelContext, inputs: list) -> list:
    dt = np.dtype(_dtype_of(inputs[0]))
    return _ftrl(inputs, _scalars(dt, inputs[4:8]), None)


@register_kernel("ApplyFtrlV2", GPU)
@checks_gradient_shape
def apply_ftrl_v2(ctx: KernelContext, inputs: list) -> list:
    dt = np.dtype(_dtype_of(inputs[0]))
    lr, l1, l2, shrinkage, lr_power = _scalars(dt, inputs[4:9])
    return _ftrl(inputs, [lr, l1, l2, lr_power], shrinkage)


def _dtype_of(ref: Any) -> Any:
    if ref.value is None:
        raise errors.FailedPreconditionError(
            None, None, f"Attempting to use uninitialized value {ref.name}")
    return ref.value.dtype


# (after every Apply* kernel above is registered; a device buffer is copied through the host)
register_resource_forms(GPU, lambda value: runtime.to_device(np.array(runtime.to_host(value))))
