"""GPU kernels of the sparse training ops (``SparseApplyMomentum`` … ``SparseApplyFtrlV2``) and
their ``ResourceSparseApply*`` forms.

The checks are the CPU kernels' (kernels/cpu/sparse_training.py), made on the host. The host then
groups the positions of the indices by row (a stable sort, so each row keeps its index order)
and one thread per (row named, element of the row) applies that row's updates one after
another, with the CPU kernel's operations in the CPU kernel's order, FTZ / DAZ on each result:
the bits of TF's serial CPU loop. (TF's own GPU kernels, where it has them — Adagrad and Ftrl —
run one thread per element of ``grad`` and race where an index repeats.)

An index out of range: TF has GPU kernels for SparseApplyAdagrad and SparseApplyFtrl(V2) only,
which skip such an index and apply the others (``training_ops_gpu.cu.cc``: "Ignore indices that
are out of range"); the reference's do the same. TF runs the other ops on the CPU, so their GPU
kernels here fail as the CPU kernel does, after the rows it would have updated.

Two things stay the CPU's only. Eigen's float32 ``rsqrt`` packets (a row's first ``inner -
inner % 8`` elements in Adagrad and the RMSProps) start from the x86 processor's estimate, which
a GPU does not have: the kernels take ``1 / sqrt`` there, the CPU's value on the rest of a row
and on every row shorter than 8. And a power other than -0.5 in Ftrl is the device's ``pow``,
not Eigen's ``generic_pow`` / C's ``powf``, as in the dense Ftrl kernel.
"""

from __future__ import annotations

import math
from typing import Any, Callable

import numba
import numpy as np
from numba import cuda

from ..cpu import sparse_training as cpu
from ..cpu.state import uninitialized
from ..ftz import computes_ftz, smallest_normal
from ..registry import GPU, KernelContext, register_kernel
from ...training_ops import value_inputs
from ..resource_updates import register_resource_forms
from . import runtime

# The ops whose TF GPU kernels skip an index out of range (the others fail, as on the CPU).
SKIPS_BAD_INDICES = ("SparseApplyAdagrad", "SparseApplyFtrl", "SparseApplyFtrlV2")


def _variables(refs: list) -> list:
    """The variable and slot buffers on the device (a value left on the host moves there)."""
    out = []
    for ref in refs:
        if ref.value is None:
            raise uninitialized(ref)
        if not runtime.is_device(ref.value):
            ref.value = runtime.to_device(np.array(ref.value))
        out.append(ref.value)
    return out


def _groups(idx: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(each row named, where its positions start in the third array and the last ends, the
    positions in row then index order)."""
    positions = np.argsort(idx, kind="stable")
    ordered = idx[positions]
    starts = np.flatnonzero(np.r_[True, ordered[1:] != ordered[:-1]])
    return ordered[starts], np.r_[starts, ordered.size], positions


_CACHE: dict[tuple[str, np.dtype], Any] = {}


def _kernel(name: str, dt: np.dtype, make: Callable[[Any, Any], Any]) -> Any:
    """The kernel ``make`` builds for dtype ``dt`` (compiled once per op and dtype)."""
    key = (name, np.dtype(dt))
    if key not in _CACHE:
        _CACHE[key] = make(numba.from_dtype(np.dtype(dt)), numba.float64)
    return _CACHE[key]


@runtime.device_function
def _z(x, tiny, zero):  # type: ignore[no-untyped-def]
    # FTZ / DAZ of one value: a zero of its sign below the smallest normal (tiny = 0: none)
    return x * zero if abs(x) < tiny else x


@runtime.device_function
def _sqrt(x):  # type: ignore[no-untyped-def]
    # NaN below zero, as np.sqrt (the simulator's math.sqrt raises there)
    return math.sqrt(x) if x >= 0 else (x - x) / (x - x)


def _make_sgn(T: Any) -> Any:
    """TF's sgn in dtype T: 1, -1, +0 for either zero."""
    @runtime.device_function
    def sgn(a):  # type: ignore[no-untyped-def]
        if a > 0:
            return T(1)
        if a < 0:
            return T(-1)
        return T(0)
    return sgn


# Each kernel: one thread per (group g, element c); k runs over the group's positions in order.

def _make_momentum(T: Any, D: Any) -> Any:
    @cuda.jit
    def k(var, accum, grad, rows, starts, positions, cols, sc, nesterov, tiny, zero):  # type: ignore[no-untyped-def]
        lr, m, lr_m = sc[0], sc[1], sc[2]
        for i in range(cuda.grid(1), rows.size * cols, cuda.gridsize(1)):
            c = i % cols
            at = rows[i // cols] * cols + c
            v = _z(var[at], tiny, zero)
            a = _z(accum[at], tiny, zero)
            for p in range(starts[i // cols], starts[i // cols + 1]):
                g = _z(grad[positions[p] * cols + c], tiny, zero)
                a = _z(_z(a * m, tiny, zero) + g, tiny, zero)
                if nesterov:
                    step = _z(_z(lr * g, tiny, zero) + _z(lr_m * a, tiny, zero), tiny, zero)
                else:
                    step = _z(lr * a, tiny, zero)
                v = _z(v - step, tiny, zero)
            var[at] = v
            accum[at] = a
    return k


def _make_adagrad(T: Any, D: Any) -> Any:
    @cuda.jit
    def k(var, accum, grad, rows, starts, positions, cols, sc, update_slots, tiny, zero):  # type: ignore[no-untyped-def]
        lr, one = sc[0], sc[1]
        for i in range(cuda.grid(1), rows.size * cols, cuda.gridsize(1)):
            c = i % cols
            at = rows[i // cols] * cols + c
            v = _z(var[at], tiny, zero)
            a = _z(accum[at], tiny, zero)
            for p in range(starts[i // cols], starts[i // cols + 1]):
                g = _z(grad[positions[p] * cols + c], tiny, zero)
                if update_slots:
                    a = _z(a + _z(g * g, tiny, zero), tiny, zero)
                root = _z(T(_sqrt(a)), tiny, zero)
                lr_g = _z(lr * g, tiny, zero)
                if cols > 1:  # (Eigen's row: times rsqrt; the scalar loop divides)
                    step = _z(lr_g * _z(one / root, tiny, zero), tiny, zero)
                else:
                    step = _z(lr_g / root, tiny, zero)
                v = _z(v - step, tiny, zero)
            var[at] = v
            if update_slots:
                accum[at] = a
    return k


def _make_adagrad_da(T: Any, D: Any) -> Any:
    sgn = _make_sgn(T)

    @cuda.jit
    def k(var, ga_acc, da_acc, grad, rows, starts, positions, cols, sc, dsc, use_l1, tiny, zero,  # type: ignore[no-untyped-def]
          dtiny, dzero):
        # sc: gs, gs * lr, l1, l2, -1, 0; dsc (doubles): lr, step * l1, step * l2 * lr, 0
        gs, gs_lr, l1, l2, minus_one, t0 = sc[0], sc[1], sc[2], sc[3], sc[4], sc[5]
        for i in range(cuda.grid(1), rows.size * cols, cuda.gridsize(1)):
            c = i % cols
            at = rows[i // cols] * cols + c
            v = _z(var[at], tiny, zero)
            ga = _z(ga_acc[at], tiny, zero)
            da = _z(da_acc[at], tiny, zero)
            for p in range(starts[i // cols], starts[i // cols + 1]):
                g = _z(grad[positions[p] * cols + c], tiny, zero)
                if cols > 1:
                    ga = _z(ga + g, tiny, zero)
                    da = _z(da + _z(g * g, tiny, zero), tiny, zero)
                    denom = _z(l2 + _z(_z(T(_sqrt(da)), tiny, zero) / gs_lr, tiny, zero), tiny, zero)
                    if use_l1:
                        shrunk = _z(_z(abs(ga) / gs, tiny, zero) - l1, tiny, zero)
                        if shrunk < t0:
                            shrunk = t0
                        v = _z(_z(_z(minus_one * sgn(ga), tiny, zero) * shrunk, tiny, zero) / denom,
                               tiny, zero)
                    else:
                        v = _z(_z(minus_one * _z(ga / gs, tiny, zero), tiny, zero) / denom, tiny, zero)
                else:  # TF's scalar loop: in double
                    gd = D(g)
                    ga = _z(T(_z(D(ga) + gd, dtiny, dzero)), tiny, zero)
                    da = _z(T(_z(D(da) + _z(gd * gd, dtiny, dzero), dtiny, dzero)), tiny, zero)
                    root = D(_z(T(_sqrt(da)), tiny, zero))
                    if use_l1:
                        shrunk = _z(D(abs(ga)) - dsc[1], dtiny, dzero)
                        if shrunk < dsc[3]:
                            shrunk = dsc[3]
                        top = _z(_z(D(sgn(-ga)) * dsc[0], dtiny, dzero) * shrunk, dtiny, dzero)
                    else:
                        top = _z(D(-ga) * dsc[0], dtiny, dzero)
                    v = _z(T(_z(top / _z(dsc[2] + root, dtiny, dzero), dtiny, dzero)), tiny, zero)
            var[at] = v
            ga_acc[at] = ga
            da_acc[at] = da
    return k


def _make_rms_prop(T: Any, D: Any) -> Any:
    @cuda.jit
    def k(var, mg, ms, mom, grad, rows, starts, positions, cols, sc, centered, tiny, zero):  # type: ignore[no-untyped-def]
        # sc: lr, rho, momentum, eps, 1 - rho, 1
        lr, rho, momentum, eps, omr, one = sc[0], sc[1], sc[2], sc[3], sc[4], sc[5]
        for i in range(cuda.grid(1), rows.size * cols, cuda.gridsize(1)):
            c = i % cols
            at = rows[i // cols] * cols + c
            v = _z(var[at], tiny, zero)
            s = _z(ms[at], tiny, zero)
            m = _z(mom[at], tiny, zero)
            a = _z(mg[at], tiny, zero)
            for p in range(starts[i // cols], starts[i // cols + 1]):
                g = _z(grad[positions[p] * cols + c], tiny, zero)
                s = _z(_z(s * rho, tiny, zero) + _z(_z(g * g, tiny, zero) * omr, tiny, zero), tiny, zero)
                if centered:
                    a = _z(_z(a * rho, tiny, zero) + _z(g * omr, tiny, zero), tiny, zero)
                    denom = _z(_z(s + eps, tiny, zero) - _z(a * a, tiny, zero), tiny, zero)
                else:
                    denom = _z(s + eps, tiny, zero)
                r = _z(one / _z(T(_sqrt(denom)), tiny, zero), tiny, zero)
                m = _z(_z(m * momentum, tiny, zero) + _z(_z(r * lr, tiny, zero) * g, tiny, zero), tiny, zero)
                v = _z(v - m, tiny, zero)
            var[at] = v
            ms[at] = s
            mom[at] = m
            if centered:
                mg[at] = a
    return k


def _make_ftrl(T: Any, D: Any) -> Any:
    @cuda.jit
    def k(var, accum, linear, grad, rows, starts, positions, cols, sc, half, shrink, by_lr,  # type: ignore[no-untyped-def]
          tiny, zero):
        # sc: lr, l1, -l1, l1 * lr, -l1 * lr, 2 * l2, 2 * l2 * lr, -power, 2 * shrinkage
        lr, l1, neg_l1, l1_lr, neg_l1_lr = sc[0], sc[1], sc[2], sc[3], sc[4]
        two_l2, two_l2_lr, neg_power, two_shrinkage = sc[5], sc[6], sc[7], sc[8]
        for i in range(cuda.grid(1), rows.size * cols, cuda.gridsize(1)):
            c = i % cols
            at = rows[i // cols] * cols + c
            v = _z(var[at], tiny, zero)
            a = _z(accum[at], tiny, zero)
            lin = _z(linear[at], tiny, zero)
            for p in range(starts[i // cols], starts[i // cols + 1]):
                g = _z(grad[positions[p] * cols + c], tiny, zero)
                g_shr = _z(g + _z(two_shrinkage * v, tiny, zero), tiny, zero) if shrink else g
                new_a = _z(a + _z(g * g, tiny, zero), tiny, zero)
                # Eigen's rows take sqrt for the power -0.5; TF's scalar loop pow, whatever it is
                if half and cols > 1:
                    pw_new = _z(T(_sqrt(new_a)), tiny, zero)
                    pw_old = _z(T(_sqrt(a)), tiny, zero)
                else:
                    pw_new = _z(T(new_a ** neg_power), tiny, zero)
                    pw_old = _z(T(a ** neg_power), tiny, zero)
                root_new = _z(T(_sqrt(new_a)), tiny, zero) if half else pw_new
                change = _z(pw_new - pw_old, tiny, zero)
                if cols > 1:
                    if by_lr:
                        lin = _z(lin + _z(_z(g_shr * lr, tiny, zero) - _z(change * v, tiny, zero), tiny, zero), tiny, zero)
                    else:
                        lin = _z(lin + _z(g_shr - _z(_z(change / lr, tiny, zero) * v, tiny, zero), tiny, zero), tiny, zero)
                elif by_lr:
                    lin = _z(_z(lin + _z(g_shr * lr, tiny, zero), tiny, zero) - _z(change * v, tiny, zero), tiny, zero)
                else:
                    lin = _z(_z(lin + g_shr, tiny, zero) - _z(_z(change / lr, tiny, zero) * v, tiny, zero), tiny, zero)
                if by_lr:
                    y = _z(root_new + two_l2_lr, tiny, zero)
                    adjust = max(min(lin, l1_lr), neg_l1_lr) if lin == lin else lin
                else:
                    y = _z(_z(root_new / lr, tiny, zero) + two_l2, tiny, zero)
                    adjust = max(min(lin, l1), neg_l1) if lin == lin else lin
                v = _z(_z(adjust - lin, tiny, zero) / y, tiny, zero)
                a = new_a
            var[at] = v
            accum[at] = a
            linear[at] = lin
    return k


def _launch(op_type: str, variables: list, inputs: list, ctx: KernelContext) -> None:
    """Check as the CPU kernel does, then run ``op_type``'s kernel over the rows named."""
    check, all_first = cpu.CHECKS[op_type]
    grad_at = len(variables) + value_inputs(op_type).index("grad")
    host = [runtime.to_host(x) if i >= len(variables) and i != grad_at else x
            for i, x in enumerate(inputs)]
    check(variables, host, ctx.attrs)
    var = variables[0]
    dt = np.dtype(var.dtype)
    idx = np.asarray(host[grad_at + 1]).reshape(-1).astype(np.int64)
    rows = var.shape[0]
    cols = int(np.prod(var.shape[1:], dtype=np.int64))
    if op_type in SKIPS_BAD_INDICES:
        error = None
        idx = np.where((idx >= 0) & (idx < rows), idx, -1)
    else:
        count, error = cpu.index_limit(idx, rows, all_first)
        idx = idx[:count]
    positions_all = np.flatnonzero(idx >= 0)
    if cols > 0 and positions_all.size:
        named, starts, order = _groups(idx[positions_all])
        positions = positions_all[order]
        tiny = smallest_normal(dt)
        tiny = dt.type(0) if tiny is None else tiny
        flat = [runtime.flat(v) for v in variables]
        grid = [runtime.flat(runtime.to_device(inputs[grad_at])), runtime.to_device(named),
                runtime.to_device(starts), runtime.to_device(positions), cols]
        with np.errstate(all="ignore"):
            _RUN[op_type](ctx, dt, flat, grid, host, tiny)
    if error is not None:
        raise error


def _scalars(dt: np.dtype, values: list) -> list:
    return cpu.scalars(dt, [runtime.to_host(v) for v in values])


def _run_momentum(ctx: KernelContext, dt: np.dtype, flat: list, grid: list, host: list, tiny: Any) -> None:
    lr, m = _scalars(dt, [host[2], host[5]])
    sc = runtime.to_device(np.array([lr, m, cpu.F(lr * m)], dt))
    runtime.launch(_kernel("momentum", dt, _make_momentum), grid[1].size * grid[4], *flat, *grid, sc,
                   bool(ctx.attrs.get("use_nesterov")), tiny, tiny * 0)


def _run_adagrad(ctx: KernelContext, dt: np.dtype, flat: list, grid: list, host: list, tiny: Any) -> None:
    (lr,) = _scalars(dt, [host[2]])
    sc = runtime.to_device(np.array([lr, 1], dt))
    runtime.launch(_kernel("adagrad", dt, _make_adagrad), grid[1].size * grid[4], *flat, *grid, sc,
                   bool(ctx.attrs.get("update_slots", True)), tiny, tiny * 0)


def _run_adagrad_da(ctx: KernelContext, dt: np.dtype, flat: list, grid: list, host: list, tiny: Any) -> None:
    lr, l1, l2 = _scalars(dt, host[5:8])
    step = int(np.asarray(host[8]).reshape(()))
    t, d, f = dt.type, np.float64, cpu.F
    gs = f(t(step))
    sc = runtime.to_device(np.array([gs, f(gs * lr), l1, l2, -1, 0], dt))
    dsc = runtime.to_device(np.array([d(lr), f(d(step) * d(l1)), f(f(d(step) * d(l2)) * d(lr)), 0], d))
    dtiny = smallest_normal(np.float64)
    runtime.launch(_kernel("adagrad_da", dt, _make_adagrad_da), grid[1].size * grid[4], *flat, *grid,
                   sc, dsc, bool(l1 > 0), tiny, tiny * 0, dtiny if tiny else d(0), d(0))


def _run_rms_prop(ctx: KernelContext, dt: np.dtype, flat: list, grid: list, host: list, tiny: Any) -> None:
    centered = len(flat) == 4
    first = len(flat)
    lr, rho, momentum, eps = _scalars(dt, host[first:first + 4])
    sc = runtime.to_device(np.array([lr, rho, momentum, eps, cpu.F(dt.type(1) - rho), 1], dt))
    var, mg, ms, mom = flat if centered else [flat[0], flat[1], flat[1], flat[2]]
    runtime.launch(_kernel("rms_prop", dt, _make_rms_prop), grid[1].size * grid[4], var, mg, ms, mom,
                   *grid, sc, centered, tiny, tiny * 0)


def _run_ftrl(ctx: KernelContext, dt: np.dtype, flat: list, grid: list, host: list, tiny: Any) -> None:
    shrink = len(host) == 10
    t, f = dt.type, cpu.F
    lr, l1, l2 = _scalars(dt, host[5:8])
    (power,) = _scalars(dt, [host[9] if shrink else host[8]])
    two_shrinkage = f(t(2) * _scalars(dt, [host[8]])[0]) if shrink else t(0)
    two_l2 = f(t(2) * l2)
    sc = runtime.to_device(np.array([lr, l1, -l1, f(l1 * lr), f(-l1 * lr), two_l2, f(two_l2 * lr),
                                     -power, two_shrinkage], dt))
    runtime.launch(_kernel("ftrl", dt, _make_ftrl), grid[1].size * grid[4], *flat, *grid, sc,
                   bool(power == t(-0.5)), shrink, bool(ctx.attrs.get("multiply_linear_by_lr")),
                   tiny, tiny * 0)


_RUN = {
    "SparseApplyMomentum": _run_momentum, "SparseApplyAdagrad": _run_adagrad,
    "SparseApplyAdagradDA": _run_adagrad_da, "SparseApplyRMSProp": _run_rms_prop,
    "SparseApplyCenteredRMSProp": _run_rms_prop, "SparseApplyFtrl": _run_ftrl,
    "SparseApplyFtrlV2": _run_ftrl,
}



def _register(op_type: str) -> None:
    count = cpu.VARIABLE_INPUTS[op_type]

    def kernel(ctx: KernelContext, inputs: list) -> list:
        _launch(op_type, _variables(inputs[:count]), inputs, ctx)
        return [inputs[0]]

    kernel.__name__ = kernel.__qualname__ = op_type
    kernel.__doc__ = f"GPU {op_type}: the CPU kernel's checks and bits (see the module's docstring)."
    register_kernel(op_type, GPU, types=cpu.FLOAT_TYPES)(computes_ftz(kernel))


for _op in cpu.VARIABLE_INPUTS:
    _register(_op)

# (after every kernel above is registered; a device buffer is copied through the host)
register_resource_forms(GPU, lambda value: runtime.to_device(np.array(runtime.to_host(value))),
                        cpu.VARIABLE_INPUTS)
