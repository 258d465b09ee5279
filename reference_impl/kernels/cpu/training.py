"""CPU kernels of the fused training ops, computed the way TensorFlow's Eigen kernels in
training_ops.cc compute them: in the variable's dtype (float32 stays float32), the same
operations in the same order, and the slots updated in place."""

from __future__ import annotations

from types import ModuleType
from typing import Any

import numpy as np

from ... import errors
from ..ftz import computes_ftz, flush, flushing_each_operation, smallest_normal
from ..registry import CPU, KernelContext, register_kernel
from ..resource_updates import register_resource_forms
from ..training_checks import checks_gradient_shape
from . import optional_jit, parallel
from .eigen_rsqrt import rsqrt_rows


def _storage(ctx: KernelContext, refs: list) -> list[np.ndarray]:
    out = []
    for i, ref in enumerate(refs):
        if ref.value is None:
            raise errors.FailedPreconditionError(
                None, None, f"Attempting to use uninitialized value {ref.name}")
        if not isinstance(ref.value, np.ndarray):
            ref.value = np.array(ref.value)
        out.append(ref.value)
    return out


def each_operation_flushed(fn):  # type: ignore[no-untyped-def]
    """``fn`` with every array operation's result flushed (`flushing_each_operation`), which
    the registry then does not wrap again."""
    return computes_ftz(flushing_each_operation(fn))


def _scalars(dt: np.dtype, values: list) -> list:
    return [dt.type(np.asarray(v).reshape(())) for v in values]


@register_kernel("ApplyGradientDescent")
@checks_gradient_shape
@computes_ftz
def apply_gradient_descent(ctx: KernelContext, inputs: list) -> list:
    """One compiled pass that also flushes where it applies; else numpy, flushed by scans."""
    (var,) = _storage(ctx, inputs[:1])
    delta = inputs[2]
    jit = compiled_update(var, [delta])
    if jit is None:
        return _apply_gradient_descent_flushed(ctx, inputs)
    (alpha,) = _scalars(var.dtype, [flush(inputs[1])])
    in_parts(jit.apply_gradient_descent, [var, delta], alpha)
    return [inputs[0]]


def _apply_gradient_descent_numpy(ctx: KernelContext, inputs: list) -> list:
    (var,) = _storage(ctx, inputs[:1])
    (alpha,) = _scalars(var.dtype, inputs[1:2])
    delta = inputs[2]
    var -= delta * alpha
    return [inputs[0]]


@register_kernel("ApplyMomentum")
@checks_gradient_shape
@computes_ftz
def apply_momentum(ctx: KernelContext, inputs: list) -> list:
    """One compiled pass that also flushes where it applies; else numpy, flushed by scans."""
    var, accum = _storage(ctx, inputs[:2])
    grad = inputs[3]
    jit = compiled_update(var, [accum, grad])
    if jit is None:
        return _apply_momentum_flushed(ctx, inputs)
    lr, momentum = _scalars(var.dtype, [flush(inputs[2]), flush(inputs[4])])
    in_parts(jit.apply_momentum, [var, accum, grad], lr, momentum, bool(ctx.attrs.get("use_nesterov")))
    return [inputs[0]]


def _apply_momentum_numpy(ctx: KernelContext, inputs: list) -> list:
    var, accum = _storage(ctx, inputs[:2])
    lr, momentum = _scalars(var.dtype, [inputs[2], inputs[4]])
    grad = inputs[3]
    np.copyto(accum, accum * momentum + grad)
    if ctx.attrs.get("use_nesterov"):
        var -= grad * lr + accum * momentum * lr
    else:
        var -= accum * lr
    return [inputs[0]]


_apply_gradient_descent_flushed = flushing_each_operation(_apply_gradient_descent_numpy)
_apply_momentum_flushed = flushing_each_operation(_apply_momentum_numpy)


@register_kernel("ApplyAdagrad")
@checks_gradient_shape
@each_operation_flushed
def apply_adagrad(ctx: KernelContext, inputs: list) -> list:
    var, accum = _storage(ctx, inputs[:2])
    (lr,) = _scalars(var.dtype, inputs[2:3])
    grad = inputs[3]
    if ctx.attrs.get("update_slots", True):
        accum += np.square(grad)
    # (TF's Eigen expression: accum.rsqrt(), whose float32 packets refine the processor's estimate)
    var -= grad * lr * rsqrt_rows(np.asarray(accum).reshape(1, -1)).reshape(np.shape(accum))
    return [inputs[0]]


@register_kernel("ApplyAdagradDA")
@checks_gradient_shape
@each_operation_flushed
def apply_adagrad_da(ctx: KernelContext, inputs: list) -> list:
    var, g_acc, gg_acc = _storage(ctx, inputs[:3])
    grad = inputs[3]
    lr, l1, l2 = _scalars(var.dtype, inputs[4:7])
    step = var.dtype.type(np.float32(np.asarray(inputs[7]).reshape(())))
    g_acc += grad
    gg_acc += np.square(grad)
    t = var.dtype
    denom = l2 * t.type(step * lr) + np.sqrt(gg_acc)
    if l1 > 0:
        shrunk = np.maximum(np.abs(g_acc) - step * l1, t.type(0))
        np.copyto(var, lr * t.type(-1) * np.sign(g_acc) * shrunk / denom)
    else:
        np.copyto(var, lr * g_acc * t.type(-1) / denom)
    return [inputs[0]]


def _flat_same(arrays: list, dtype: np.dtype, size: int) -> bool:
    """Whether every array is a C-contiguous ``dtype`` array of ``size`` elements (the compiled
    loops index them flat)."""
    return all(type(a) is np.ndarray and a.dtype == dtype and a.size == size
               and a.flags.c_contiguous for a in arrays)


def compiled_update(var: np.ndarray, others: list) -> ModuleType | None:
    """training_jit for one pass over ``var`` and ``others`` that also flushes denormals: where
    FTZ applies to the dtype, every array is C-contiguous of var's dtype and size, the update is
    large enough, and numba is worth loading (`optional_jit`); else None."""
    if (type(var) is not np.ndarray or smallest_normal(var.dtype) is None or var.size < optional_jit.MIN_SIZE
            or not var.flags.writeable or not _flat_same([var, *others], var.dtype, var.size)):
        return None
    return optional_jit.for_input("training_jit", var.size)


def in_parts(loop: Any, arrays: list, *scalars: Any) -> None:
    """``loop(*slices, *scalars, tiny, zero)`` over contiguous parts of the flat ``arrays``, one
    part per CPU (elements are independent: any cut gives the same bits)."""
    flat = [a.reshape(-1) for a in arrays]
    dtype = flat[0].dtype
    flushing_scalars = (*scalars, smallest_normal(dtype), dtype.type(0))
    parts = parallel.chunks(flat[0].size, flat[0].nbytes)

    def part(i: int) -> None:
        lo, hi = parts[i]
        loop(*(a[lo:hi] for a in flat), *flushing_scalars)
    parallel.run(part, len(parts))


@register_kernel("ApplyAdam")
@checks_gradient_shape
@computes_ftz
def apply_adam(ctx: KernelContext, inputs: list) -> list:
    """One compiled pass that also flushes (`training_jit.apply_adam`) where it applies; else
    the numpy kernel below, flushed as every other kernel is."""
    var, m, v = _storage(ctx, inputs[:3])
    grad = inputs[9]
    jit = compiled_update(var, [m, v, grad])
    if jit is None:
        return _apply_adam_flushed(ctx, inputs)
    b1p, b2p, lr, beta1, beta2, eps = _scalars(var.dtype, [flush(x) for x in inputs[3:9]])
    one = var.dtype.type(1)
    alpha = lr * np.sqrt(one - b2p) / (one - b1p)
    in_parts(jit.apply_adam, [var, m, v, grad], alpha, one - beta1, one - beta2, beta1, eps,
              bool(ctx.attrs.get("use_nesterov")))
    return [inputs[0]]


def _apply_adam_numpy(ctx: KernelContext, inputs: list) -> list:
    var, m, v = _storage(ctx, inputs[:3])
    b1p, b2p, lr, beta1, beta2, eps = _scalars(var.dtype, inputs[3:9])
    grad = inputs[9]
    one = var.dtype.type(1)
    alpha = lr * np.sqrt(one - b2p) / (one - b1p)
    nesterov = bool(ctx.attrs.get("use_nesterov"))
    # each of training_ops.cc's operations in turn, into one scratch array (and the slots in
    # place) rather than a fresh temporary per operation.
    tmp = np.empty_like(var)
    np.subtract(grad, m, out=tmp)
    np.multiply(tmp, one - beta1, out=tmp)
    np.add(m, tmp, out=m)
    np.square(grad, out=tmp)
    np.subtract(tmp, v, out=tmp)
    np.multiply(tmp, one - beta2, out=tmp)
    np.add(v, tmp, out=v)
    if nesterov:
        np.multiply(grad, one - beta1, out=tmp)
        np.add(tmp, beta1 * m, out=tmp)
        np.multiply(tmp, alpha, out=tmp)
    else:
        np.multiply(m, alpha, out=tmp)
    denom = np.sqrt(v, out=np.empty_like(var))  # out=: a 0-d input would give a scalar
    np.add(denom, eps, out=denom)
    np.divide(tmp, denom, out=tmp)
    np.subtract(var, tmp, out=var)
    return [inputs[0]]


_apply_adam_flushed = flushing_each_operation(_apply_adam_numpy)


@register_kernel("ApplyRMSProp")
@checks_gradient_shape
@each_operation_flushed
def apply_rms_prop(ctx: KernelContext, inputs: list) -> list:
    var, ms, mom = _storage(ctx, inputs[:3])
    lr, rho, momentum, eps = _scalars(var.dtype, inputs[3:7])
    grad = inputs[7]
    one = var.dtype.type(1)
    ms += (np.square(grad) - ms) * (one - rho)
    np.copyto(mom, mom * momentum + (grad * lr) / np.sqrt(ms + eps))
    var -= mom
    return [inputs[0]]


@register_kernel("ApplyCenteredRMSProp")
@checks_gradient_shape
@each_operation_flushed
def apply_centered_rms_prop(ctx: KernelContext, inputs: list) -> list:
    var, mg, ms, mom = _storage(ctx, inputs[:4])
    lr, rho, momentum, eps = _scalars(var.dtype, inputs[4:8])
    grad = inputs[8]
    one = var.dtype.type(1)
    ms += (np.square(grad) - ms) * (one - rho)
    mg += (grad - mg) * (one - rho)
    denom = (ms - np.square(mg)) + eps
    np.copyto(mom, mom * momentum + (grad * lr) / np.sqrt(denom))
    var -= mom
    return [inputs[0]]


def _ftrl(var: np.ndarray, accum: np.ndarray, linear: np.ndarray, grad: np.ndarray,
          lr, l1, l2, lr_power, shrinkage=None) -> None:
    t = var.dtype.type
    g_shrunk = grad if shrinkage is None else grad + t(2) * shrinkage * var
    new_accum = accum + grad * grad if shrinkage is not None else accum + np.square(grad)
    if lr_power == t(-0.5):
        linear += g_shrunk - (np.sqrt(new_accum) - np.sqrt(accum)) / lr * var
        y = np.sqrt(new_accum) / lr + t(2) * l2
    else:
        linear += g_shrunk - (np.power(new_accum, -lr_power) - np.power(accum, -lr_power)) \
            / lr * var
        y = np.power(new_accum, -lr_power) / lr + t(2) * l2
    x = l1 * np.sign(linear) - linear
    np.copyto(var, np.where(np.abs(linear) > l1, x / y, t(0)))
    accum += grad * grad if shrinkage is not None else np.square(grad)


@register_kernel("ApplyFtrl")
@checks_gradient_shape
@each_operation_flushed
def apply_ftrl(ctx: KernelContext, inputs: list) -> list:
    var, accum, linear = _storage(ctx, inputs[:3])
    lr, l1, l2, lr_power = _scalars(var.dtype, inputs[4:8])
    with np.errstate(all="ignore"):
        _ftrl(var, accum, linear, inputs[3], lr, l1, l2, lr_power)
    return [inputs[0]]


@register_kernel("ApplyFtrlV2")
@checks_gradient_shape
@each_operation_flushed
def apply_ftrl_v2(ctx: KernelContext, inputs: list) -> list:
    var, accum, linear = _storage(ctx, inputs[:3])
    lr, l1, l2, shrinkage, lr_power = _scalars(var.dtype, inputs[4:9])
    with np.errstate(all="ignore"):
        _ftrl(var, accum, linear, inputs[3], lr, l1, l2, lr_power, shrinkage)
    return [inputs[0]]


# (after every Apply* kernel above is registered)
register_resource_forms(CPU, np.array)
